import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ArtifactStore } from '../adapters/artifact-store';
import { DispatchRepository } from '../adapters/dispatch-repository';
import { PoolRepository } from '../adapters/pool-repository';
import { WorkerClient } from '../adapters/worker-client';
import type { WorkerLauncher } from '../adapters/worker-launcher';
import type { WorkerTokenCipher } from '../adapters/worker-token-cipher';
import { loadConfig, type PlatformConfig } from '../core/config';
import type { ModelPriceTable } from '../core/ledger/pricing';
import type { LifecycleDeps } from '../services/lifecycle-deps';

/** The adapters a handler bundles only when it passes them. */
export interface LifecycleAdapters {
  readonly artifacts?: (config: PlatformConfig) => ArtifactStore;
  readonly launcher?: (config: PlatformConfig) => WorkerLauncher;
  readonly workerTokens?: (config: PlatformConfig) => WorkerTokenCipher;
  /** The model prices assignments' budgets carry (runtime/lambda/model-prices.ts): the handlers that hand off. */
  readonly modelPrices?: () => ModelPriceTable;
}

let shared: Omit<LifecycleDeps, 'artifacts' | 'launcher' | 'workerTokens'> | undefined;
let store: ArtifactStore | undefined;
let launcher: WorkerLauncher | undefined;

/**
 * Clients and adapters for the lifecycle handlers, created once per execution environment. The artifact
 * store and the worker launcher are the adapters a handler passes in (runtime/lambda/artifacts.ts,
 * runtime/lambda/launcher.ts), because esbuild leaves out only what no import reaches: the handlers that never
 * touch artifacts do not carry the store's S3 request signing and XML parsing (about 8 KB), those that start or
 * stop no task not the ECS client (`POST /dispatch` starts none: the starter does), those that hand off to no
 * worker not the worker-token cipher, and their deps refuse them.
 */
export function lifecycleDeps(adapters: LifecycleAdapters = {}): LifecycleDeps {
  const {
    artifacts = notBundled('artifact store', 'artifacts: artifactStore'),
    launcher: workers = notBundled('worker launcher', 'launcher: workerLauncher'),
    workerTokens = notBundled('worker-token cipher', 'workerTokens: workerTokenCipher'),
  } = adapters;
  const deps = shared ??= sharedDeps();
  return {
    ...deps,
    ...(adapters.modelPrices && { modelPrices: adapters.modelPrices() }),
    get artifacts() {
      store ??= artifacts(deps.config);
      return store;
    },
    get launcher() {
      launcher ??= workers(deps.config);
      return launcher;
    },
    get workerTokens() {
      return workerTokens(deps.config);
    },
  };
}

function sharedDeps(): Omit<LifecycleDeps, 'artifacts' | 'launcher' | 'workerTokens'> {
  const config = loadConfig();
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return {
    config,
    dispatches: new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes),
    pool: new PoolRepository(documents, config.tables.pool, config.tables.indexes.byAgentState),
    workers: new WorkerClient(),
    now: () => new Date(),
  };
}

function notBundled(adapter: string, factory: string): () => never {
  return () => {
    throw new Error(`this handler is bundled without the ${adapter}: pass ${factory} to lifecycleDeps`);
  };
}
