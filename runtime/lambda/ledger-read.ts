import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LedgerTable } from '../adapters/ledger-table';
import { loadLedgerConfig } from '../core/ledger/config';

let ledger: LedgerTable | undefined;

/** The ledger table, for `GET /ledger`; created once per execution environment. */
export function ledgerTable(): LedgerTable {
  ledger ??= new LedgerTable(DynamoDBDocumentClient.from(new DynamoDBClient({})), loadLedgerConfig().table);
  return ledger;
}
