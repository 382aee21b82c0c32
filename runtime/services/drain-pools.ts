import { stopAndForget, STOPS_IN_FLIGHT } from './pool-workers';
import type { ScalerDeps } from './scaler-deps';
import { inBatches } from '../core/batches';

/** How often the drain looks whether the stopped tasks have stopped. */
const POLL_MS = 5_000;

export interface DrainReport {
  readonly stopped: number;
  /** Tasks still stopping when the drain stopped waiting. */
  readonly stillStopping: number;
}

/**
 * The stack is being deleted: stop every pool worker of the platform's cluster, whatever its agent or state,
 * remove its item, and wait (until `until`, epoch ms) for ECS to report the tasks stopped, so that the cluster,
 * deleted next, has none left. Dispatches' own tasks are left alone: they end with their runs.
 */
export async function drainPools(deps: ScalerDeps, until: number): Promise<DrainReport> {
  const tasks = await deps.tasks.running();
  await inBatches(tasks, STOPS_IN_FLIGHT, (task) => stopAndForget(deps, task, 'the platform is being deleted'));
  let stopping = tasks.map((task) => task.taskArn);
  for (;;) {
    stopping = (await deps.tasks.describe(stopping)).filter((task) => task.lastStatus !== 'STOPPED').map((task) => task.taskArn);
    if (stopping.length === 0 || deps.now().getTime() + POLL_MS > until) {
      return { stopped: tasks.length, stillStopping: stopping.length };
    }
    await deps.sleep(POLL_MS);
  }
}
