import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CheckResult } from '../core/health';

/** A table is usable while ACTIVE (or UPDATING, which still serves reads and writes). */
const USABLE_STATES = new Set(['ACTIVE', 'UPDATING']);

export async function checkTable(client: DynamoDBClient, tableName: string): Promise<CheckResult> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const state = Table?.TableStatus ?? 'UNKNOWN';
    return { healthy: USABLE_STATES.has(state), detail: state };
  } catch (error) {
    // Only the error's name: messages may carry account ids and ARNs. Read structurally, since an SDK error
    // need not be an instance of this realm's Error.
    const name = (error as { name?: unknown } | null)?.name;
    return { healthy: false, detail: typeof name === 'string' ? name : 'Error' };
  }
}
