import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { checkTable } from '../../adapters/dynamodb-table-check';
import { requireEnv } from '../../core/environment';
import { healthStatusCode, summarizeHealth } from '../../core/health';
import { jsonResponse, type JsonResponse } from '../../core/http';

const logger = new Logger({ serviceName: 'outpost-health' });
const dynamodb = new DynamoDBClient({});

/** GET /health: is the platform able to take dispatches? */
export async function handler(): Promise<JsonResponse> {
  const report = summarizeHealth(process.env.OUTPOST_VERSION ?? 'unknown', {
    dispatchesTable: await checkTable(dynamodb, requireEnv('DISPATCHES_TABLE_NAME')),
  });
  if (report.status !== 'ok') {
    logger.warn('platform unhealthy', { checks: report.checks });
  }
  return jsonResponse(healthStatusCode(report), report);
}
