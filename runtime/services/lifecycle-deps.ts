import type { ArtifactStore } from '../adapters/artifact-store';
import type { DispatchRepository } from '../adapters/dispatch-repository';
import type { PoolRepository } from '../adapters/pool-repository';
import type { WorkerClient } from '../adapters/worker-client';
import type { WorkerLauncher } from '../adapters/worker-launcher';
import type { WorkerTokenCipher } from '../adapters/worker-token-cipher';
import type { PlatformConfig } from '../core/config';
import type { GitCredentialSource } from '../core/git/credential-source';
import type { ModelPriceTable } from '../core/ledger/pricing';

/** What starting, handing off and finishing a dispatch touch; handlers build it from their clients. */
export interface LifecycleDeps {
  readonly config: PlatformConfig;
  readonly dispatches: DispatchRepository;
  readonly pool: PoolRepository;
  readonly launcher: WorkerLauncher;
  readonly artifacts: ArtifactStore;
  readonly workers: WorkerClient;
  /** Opens the worker tokens the pool keeps as ciphertext, to present them at hand-off. */
  readonly workerTokens: WorkerTokenCipher;
  /** Credentials for private repositories; absent when the platform has none (public repositories only). */
  readonly gitCredentials?: GitCredentialSource;
  /** The prices budgets are sent with: only the handlers that hand off (and so build assignments) carry them. */
  readonly modelPrices?: ModelPriceTable;
  readonly now: () => Date;
}
