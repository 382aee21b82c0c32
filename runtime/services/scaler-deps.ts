import type { PoolMetricsReport } from '../adapters/pool-metrics';
import type { PoolRepository } from '../adapters/pool-repository';
import type { PoolTasks } from '../adapters/pool-tasks';
import type { RecentDispatches } from '../adapters/recent-dispatches';
import type { ScalerLeases } from '../adapters/scaler-leases';
import type { WorkerLauncher } from '../adapters/worker-launcher';
import type { PoolPolicy } from '../core/pool/policy/policy';
import type { AgentPool } from '../core/pool/scaler/pool-settings';

/** What the pool scaler touches; the handler builds it from its clients, tests from theirs. */
export interface ScalerDeps {
  /** Every agent's pool, by agent name. */
  readonly pools: Readonly<Record<string, AgentPool>>;
  readonly policy: PoolPolicy;
  readonly pool: PoolRepository;
  readonly tasks: PoolTasks;
  /** One starts on Fargate Spot, falling back to on-demand where Spot has no room; the other on on-demand only. */
  readonly launchers: { readonly spot: WorkerLauncher; readonly onDemand: WorkerLauncher };
  readonly leases: ScalerLeases;
  readonly dispatches: RecentDispatches;
  readonly metrics: { publish(report: PoolMetricsReport): void };
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
}
