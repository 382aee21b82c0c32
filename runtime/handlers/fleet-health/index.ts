import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { DispatchRepository } from '../../adapters/dispatch-repository';
import { PoolRepository } from '../../adapters/pool-repository';
import { callerOf } from '../../core/api/caller';
import { loadConfig } from '../../core/config';
import { errorResponse } from '../../core/dispatch/api-error';
import { DispatchStatus } from '../../core/dispatch/states';
import { agentFleetHealth, type FleetHealth } from '../../core/fleet-health';
import { jsonResponse, type JsonResponse } from '../../core/http';
import { callerRules } from '../../lambda/caller-rules';

const config = loadConfig();
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const dispatches = new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes);
const pool = new PoolRepository(documents, config.tables.pool, config.tables.indexes.byAgentState);

/**
 * GET /health/fleet: per agent, idle, starting and busy workers, queued dispatches and how long the oldest
 * has waited. Counts only, no one's dispatches: any caller allowed to read may see it.
 */
export async function handler(event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<JsonResponse> {
  if (!callerOf(event, callerRules)) {
    return errorResponse({ status: 401, code: 'Unauthenticated', message: 'The request carries no caller identity.' });
  }
  const now = new Date();
  const agents = await Promise.all(Object.keys(config.agents).map(async (agent) => {
    const [workers, queued] = await Promise.all([pool.countByState(agent), dispatches.listByAgentStatus(agent, DispatchStatus.QUEUED)]);
    return [agent, agentFleetHealth(workers, queued.map((dispatch) => dispatch.createdAt), now)] as const;
  }));
  const report: FleetHealth = { at: now.toISOString(), agents: Object.fromEntries(agents) };
  return jsonResponse(200, report);
}
