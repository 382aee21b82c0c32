import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { workerLauncherConfig } from './worker-launcher-config';
import type { ArtifactStore } from '../adapters/artifact-store';
import { DispatchRepository } from '../adapters/dispatch-repository';
import { PoolRepository } from '../adapters/pool-repository';
import { WorkerClient } from '../adapters/worker-client';
import { WorkerLauncher } from '../adapters/worker-launcher';
import { loadConfig, type PlatformConfig } from '../core/config';
import type { LifecycleDeps } from '../services/lifecycle-deps';

/** The configuration and the tables: what every lifecycle handler needs, ECS and the workers aside. */
export type TableDeps = Pick<LifecycleDeps, 'config' | 'dispatches' | 'pool' | 'now'>;

let tables: TableDeps | undefined;
let shared: Omit<LifecycleDeps, 'artifacts'> | undefined;
let store: ArtifactStore | undefined;

/**
 * Clients and adapters for the lifecycle handlers, created once per execution environment. The artifact
 * store is the one adapter a handler passes in (runtime/lambda/artifacts.ts): the S3 client is a third of a
 * bundle, and esbuild leaves out only what no import reaches, so the handlers that never touch artifacts
 * (cancel, sweeper) do not import it, and their deps refuse it.
 */
export function lifecycleDeps(artifacts: (config: PlatformConfig) => ArtifactStore = noArtifactStore): LifecycleDeps {
  const deps = shared ??= sharedDeps();
  return {
    ...deps,
    get artifacts() {
      store ??= artifacts(deps.config);
      return store;
    },
  };
}

/**
 * The configuration and the tables, created once per execution environment. Alone for the handler that only
 * completes runs (task-stopped): esbuild then leaves the ECS client out of its bundle.
 */
export function tableDeps(): TableDeps {
  if (!tables) {
    const config = loadConfig();
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    tables = {
      config,
      dispatches: new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes),
      pool: new PoolRepository(documents, config.tables.pool, config.tables.indexes.byAgentState),
      now: () => new Date(),
    };
  }
  return tables;
}

function sharedDeps(): Omit<LifecycleDeps, 'artifacts'> {
  const deps = tableDeps();
  return { ...deps, launcher: new WorkerLauncher(new ECSClient({}), workerLauncherConfig(deps.config)), workers: new WorkerClient() };
}

function noArtifactStore(): never {
  throw new Error('this handler is bundled without the artifact store: pass lifecycleDeps(artifactStore)');
}
