import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { workerLauncherConfig } from './worker-launcher-config';
import { workerTokenCipher } from './worker-tokens';
import { respondToCloudFormation } from '../adapters/custom-resource-response';
import { PoolMetrics } from '../adapters/pool-metrics';
import { PoolRepository } from '../adapters/pool-repository';
import { PoolTasks } from '../adapters/pool-tasks';
import { RecentDispatches } from '../adapters/recent-dispatches';
import { ScalerLeases } from '../adapters/scaler-leases';
import { WorkerLauncher } from '../adapters/worker-launcher';
import { loadConfig } from '../core/config';
import { defaultPolicy } from '../core/pool/policy/default-policy';
import { loadPools } from '../core/pool/scaler/pool-settings';
import type { DrainAnswerDeps } from '../services/run-scaler';
import type { ScalerDeps } from '../services/scaler-deps';

let deps: ScalerDeps | undefined;

/** The drain answers CloudFormation this long before the function would time out. */
const ANSWER_MARGIN_MS = 15_000;

/** How the drain answers CloudFormation, and its deadline from the invocation's remaining time. */
export function drainAnswerDeps(remainingMs: () => number): DrainAnswerDeps {
  return { respond: respondToCloudFormation, until: () => Date.now() + remainingMs() - ANSWER_MARGIN_MS };
}

/** Clients and adapters for the pool scaler, created once per execution environment. */
export function scalerDeps(): ScalerDeps {
  deps ??= createDeps();
  return deps;
}

function createDeps(): ScalerDeps {
  const config = loadConfig();
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const ecs = new ECSClient({});
  const launcher = (spotEnabled: boolean) => new WorkerLauncher(ecs, workerLauncherConfig(config, spotEnabled), workerTokenCipher(config));
  return {
    pools: loadPools(),
    policy: defaultPolicy,
    pool: new PoolRepository(documents, config.tables.pool, config.tables.indexes.byAgentState),
    tasks: new PoolTasks(ecs, config.cluster),
    launchers: { spot: launcher(true), onDemand: launcher(false) },
    leases: new ScalerLeases(documents, config.tables.pool),
    dispatches: new RecentDispatches(documents, config.tables.dispatches, config.tables.indexes.byAgentStatus),
    metrics: new PoolMetrics(),
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
