import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DispatchRepository } from '../adapters/dispatch-repository';
import { PoolRepository } from '../adapters/pool-repository';
import { loadConfig } from '../core/config';
import type { FleetHealthDeps } from '../services/fleet-health';

let deps: FleetHealthDeps | undefined;

/** The dispatches and pool tables for `GET /health/fleet`, created once per execution environment. */
export function fleetHealthDeps(): FleetHealthDeps {
  if (!deps) {
    const config = loadConfig();
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    deps = {
      agents: Object.keys(config.agents),
      dispatches: new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes),
      pool: new PoolRepository(documents, config.tables.pool, config.tables.indexes.byAgentState),
      now: () => new Date(),
    };
  }
  return deps;
}
