import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { checkTable } from '../adapters/dynamodb-table-check';
import { requireEnv } from '../core/environment';
import type { HealthDeps } from '../services/check-health';

let deps: HealthDeps | undefined;

/** What `GET /health` checks, created once per execution environment. */
export function healthDeps(): HealthDeps {
  if (!deps) {
    const dynamodb = new DynamoDBClient({});
    const table = requireEnv('DISPATCHES_TABLE_NAME');
    deps = { version: process.env.OUTPOST_VERSION ?? 'unknown', checkDispatchesTable: () => checkTable(dynamodb, table) };
  }
  return deps;
}
