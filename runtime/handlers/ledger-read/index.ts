import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { LedgerTable } from '../../adapters/ledger-table';
import { callerOf } from '../../core/api/caller';
import { errorResponse } from '../../core/dispatch/api-error';
import { jsonResponse, type JsonResponse } from '../../core/http';
import { loadLedgerConfig } from '../../core/ledger/config';
import { parseLedgerQuery } from '../../core/ledger/query';
import { ledgerReport } from '../../core/ledger/totals';
import { callerRules } from '../../lambda/caller-rules';

const ledger = new LedgerTable(DynamoDBDocumentClient.from(new DynamoDBClient({})), loadLedgerConfig().table);

/** GET /ledger (the caller's own totals) and GET /admin/ledger (everyone's). */
export async function handler(event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<JsonResponse> {
  const caller = callerOf(event, callerRules);
  if (!caller) {
    return errorResponse({ status: 401, code: 'Unauthenticated', message: 'The request carries no caller identity.' });
  }
  const parsed = parseLedgerQuery(event.queryStringParameters ?? {});
  if (!parsed.ok) {
    return errorResponse(parsed.error);
  }
  const { from, to, groupBy } = parsed.query;
  const items = await ledger.totals(from, to, caller.admin ? undefined : caller.id);
  return jsonResponse(200, ledgerReport(from, to, groupBy, items));
}
