import type { ScalerDeps } from './scaler-deps';
import { inBatches } from '../core/batches';
import type { PoolWorker } from '../core/pool/pool-worker';
import { launchWaves, type LaunchPace } from '../core/pool/scaler/launch-pace';
import type { PoolTask } from '../core/pool/scaler/pool-task';
import { spotStarts } from '../core/pool/scaler/spot-share';

/** Calls (StopTask, table writes) in flight at once. */
export const STOPS_IN_FLIGHT = 10;

/**
 * Stop idle or starting pool workers: each is taken out of the pool first (→ DRAINING, conditional on its
 * state, so one a dispatch claimed meanwhile is left to it), then its task stopped and its item removed. A
 * stop that fails part-way leaves a DRAINING item, which the next run's reconciliation finishes. Returns how
 * many were stopped.
 */
export async function stopWorkers(deps: ScalerDeps, workers: readonly PoolWorker[], reason: string): Promise<number> {
  const stopped = await inBatches(workers, STOPS_IN_FLIGHT, async (worker) => {
    if (!await deps.pool.markDraining(worker)) {
      return false;
    }
    await stopAndForget(deps, worker, reason);
    return true;
  });
  return stopped.filter(Boolean).length;
}

/** Stop a task and remove its item; a task stopped already counts as stopped. */
export async function stopAndForget(deps: ScalerDeps, worker: Pick<PoolWorker, 'taskId' | 'taskArn'>, reason: string): Promise<void> {
  await deps.launchers.onDemand.stop(worker.taskArn, `outpost pool: ${reason}`);
  await deps.pool.remove(worker.taskId);
}

/** Stop tasks that have no item (or whose agent the platform no longer runs). */
export async function stopTasks(deps: ScalerDeps, tasks: readonly PoolTask[], reason: string): Promise<void> {
  await inBatches(tasks, STOPS_IN_FLIGHT, (task) => deps.launchers.onDemand.stop(task.taskArn, `outpost pool: ${reason}`));
}

export interface StartOutcome {
  readonly started: number;
  readonly failed: number;
  /** The reason of the first launch that failed, for the log. */
  readonly failure?: string;
}

export interface StartPlan {
  readonly agent: string;
  readonly count: number;
  readonly pace: LaunchPace;
  /** The share of the pool to run on Fargate Spot. */
  readonly spotShare: number;
  /** The agent's pool tasks running now, for the Spot share. */
  readonly live: readonly PoolTask[];
  /** No wave starts after this (epoch ms): the run's lease must outlast every start it makes. */
  readonly until: number;
}

/**
 * Start pool workers in paced waves (at most one a second), each registered STARTING as soon as RunTask
 * returns it; task-ready marks it IDLE when ECS reports it running and the worker answers. Stops early when a whole wave failed
 * (RunTask is refusing or throttling past its retries): the next run tries again.
 */
export async function startWorkers(deps: ScalerDeps, plan: StartPlan): Promise<StartOutcome> {
  let live = plan.live.length;
  let onSpot = plan.live.filter((task) => task.capacityProvider === 'FARGATE_SPOT').length;
  let started = 0;
  let failed = 0;
  let failure: string | undefined;
  const waves = launchWaves(plan.count, plan.pace);
  for (const [index, wave] of waves.entries()) {
    const waveStart = deps.now().getTime();
    if (waveStart > plan.until) {
      break;
    }
    const spot = spotStarts(wave, live, onSpot, plan.spotShare);
    const results = await Promise.all([
      deps.launchers.spot.launchMany(plan.agent, spot),
      deps.launchers.onDemand.launchMany(plan.agent, wave - spot),
    ]);
    const launched = results.flatMap((result) => result.launched);
    const failures = results.flatMap((result) => result.failed);
    const registered = await inBatches(launched, STOPS_IN_FLIGHT, async (worker) => {
      try {
        const { taskId, taskArn, tokenCiphertext, capacityProvider } = worker;
        await deps.pool.register({ taskId, taskArn, agent: plan.agent, tokenCiphertext, capacityProvider });
        return true;
      } catch (error) {
        // Unregistered, no dispatch could ever claim it: stop it rather than leave it to the next reconciliation.
        await deps.launchers.onDemand.stop(worker.taskArn, 'outpost pool: could not be registered');
        failure ??= `registering ${worker.taskId}: ${(error as Error).message}`;
        return false;
      }
    });
    const ok = registered.filter(Boolean).length;
    started += ok;
    failed += wave - ok;
    failure ??= failures[0]?.reason;
    live += launched.length;
    onSpot += launched.filter((worker) => worker.capacityProvider === 'FARGATE_SPOT').length;
    if (launched.length === 0) {
      break;
    }
    if (index < waves.length - 1) {
      await deps.sleep(Math.max(0, 1000 - (deps.now().getTime() - waveStart)));
    }
  }
  return { started, failed, ...(failure !== undefined && { failure }) };
}
