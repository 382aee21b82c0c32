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

let shared: Omit<LifecycleDeps, 'artifacts'> | undefined;
let store: ArtifactStore | undefined;

/**
 * Clients and adapters for the lifecycle handlers, created once per execution environment. The artifact
 * store is the one adapter a handler passes in (runtime/lambda/artifacts.ts): esbuild leaves out only what
 * no import reaches, so the handlers that never touch artifacts (cancel, sweeper) do not import it (its S3
 * request signing and XML parsing, about 8 KB), and their deps refuse it.
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

function sharedDeps(): Omit<LifecycleDeps, 'artifacts'> {
  const config = loadConfig();
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return {
    config,
    dispatches: new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes),
    pool: new PoolRepository(documents, config.tables.pool, config.tables.indexes.byAgentState),
    launcher: new WorkerLauncher(new ECSClient({}), workerLauncherConfig(config)),
    workers: new WorkerClient(),
    now: () => new Date(),
  };
}

function noArtifactStore(): never {
  throw new Error('this handler is bundled without the artifact store: pass lifecycleDeps(artifactStore)');
}
