import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { callerOf } from '../../core/api/caller';
import { errorResponse } from '../../core/dispatch/api-error';
import { jsonResponse, type JsonResponse } from '../../core/http';
import { callerRules } from '../../lambda/caller-rules';
import { fleetHealthDeps } from '../../lambda/fleet-health';
import { fleetHealth } from '../../services/fleet-health';

/**
 * GET /health/fleet: per agent, idle, starting and busy workers, queued dispatches and how long the oldest
 * has waited. Counts only, no one's dispatches: any caller allowed to read may see it.
 */
export async function handler(event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<JsonResponse> {
  if (!callerOf(event, callerRules)) {
    return errorResponse({ status: 401, code: 'Unauthenticated', message: 'The request carries no caller identity.' });
  }
  return jsonResponse(200, await fleetHealth(fleetHealthDeps()));
}
