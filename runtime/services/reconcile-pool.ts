import { stopAndForget, stopTasks, stopWorkers, STOPS_IN_FLIGHT } from './pool-workers';
import type { ScalerDeps } from './scaler-deps';
import { inBatches } from '../core/batches';
import type { PoolWorker } from '../core/pool/pool-worker';
import type { PoolTask } from '../core/pool/scaler/pool-task';
import { reconcile } from '../core/pool/scaler/reconcile';

/** An agent's pool once the table agrees with ECS, and what it took. */
export interface ReconciledPool {
  readonly idle: readonly PoolWorker[];
  readonly starting: readonly PoolWorker[];
  /** Workers claimed by a dispatch or running one. */
  readonly busy: number;
  /** The agent's pool tasks ECS runs. */
  readonly live: readonly PoolTask[];
  readonly orphansStopped: number;
  readonly vanishedRemoved: number;
  readonly unhealthyStopped: number;
}

/**
 * Read the agent's pool items and the pool tasks ECS runs, and make them agree: stop tasks no item names,
 * remove items whose task is gone, stop workers that never became healthy or that ECS reports unhealthy (the
 * policy then replaces them), finish stops left half-done, and mark idle the workers ECS reports healthy
 * whose hand-off never marked them (its event lost, or retried past its last try).
 */
export async function reconcilePool(deps: ScalerDeps, agent: string, now: number): Promise<ReconciledPool> {
  const [tasks, items] = await Promise.all([deps.tasks.running(), deps.pool.workersOf(agent)]);
  const live = tasks.filter((task) => task.agent === agent);
  const found = reconcile(items, live, now);
  // Read again, consistently: an orphan's item may only have been missing from the (eventually consistent) index.
  const orphans = (await inBatches(found.orphans, STOPS_IN_FLIGHT, async (task) => (await deps.pool.get(task.taskId) ? undefined : task)))
    .filter((task) => task !== undefined);
  await stopTasks(deps, orphans, 'no pool item names it');
  await inBatches(found.vanished, STOPS_IN_FLIGHT, (worker) => deps.pool.remove(worker.taskId));
  await inBatches(found.stillDraining, STOPS_IN_FLIGHT, (worker) => stopAndForget(deps, worker, 'draining'));
  const unhealthyStopped = await stopWorkers(deps, found.unhealthy, 'not healthy in time, or reported unhealthy');
  const nowIdle = (await inBatches(found.ready, STOPS_IN_FLIGHT, ({ worker, privateIp }) => deps.pool.markIdle(worker.taskId, privateIp)))
    .filter((worker) => worker !== null);
  return {
    idle: [...found.idle, ...nowIdle],
    starting: found.starting,
    busy: items.filter((item) => item.state === 'RESERVED' || item.state === 'BUSY').length,
    live,
    orphansStopped: orphans.length,
    vanishedRemoved: found.vanished.length,
    unhealthyStopped,
  };
}
