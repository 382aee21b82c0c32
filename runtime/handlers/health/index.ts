import { healthStatusCode } from '../../core/health';
import { jsonResponse, type JsonResponse } from '../../core/http';
import { healthDeps } from '../../lambda/health';
import { JsonLogger } from '../../lambda/json-log';
import { checkHealth } from '../../services/check-health';

const logger = new JsonLogger('outpost-health');

/** GET /health: is the platform able to take dispatches? */
export async function handler(): Promise<JsonResponse> {
  const report = await checkHealth(healthDeps());
  if (report.status !== 'ok') {
    logger.warn('platform unhealthy', { checks: report.checks });
  }
  return jsonResponse(healthStatusCode(report), report);
}
