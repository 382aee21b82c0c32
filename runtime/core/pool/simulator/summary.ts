import { taskHourPrice, type FargatePricing } from './pricing';
import type { Run } from './run';

/** One policy's numbers, as `npm run simulate -- --json` prints them. */
export interface PolicyResult {
  /** Dispatches that found an idle worker, over all dispatches (failed starts included). */
  readonly warmRatio: number;
  readonly waitP50Seconds: number;
  readonly waitP95Seconds: number;
  readonly waitP99Seconds: number;
  /** Billed task time not spent running a dispatch: cold starts, idling, hand-offs, the 1-minute minimum. */
  readonly idleWorkerHours: number;
  readonly busyWorkerHours: number;
  /** Idle and busy hours at Fargate's price. */
  readonly costUsd: number;
}

/** The result and the counts behind it, for the tables. */
export interface PolicySummary extends PolicyResult {
  readonly dispatches: number;
  readonly failedStarts: number;
  readonly tasksStarted: number;
  readonly throttledCalls: number;
}

/** Fargate bills per second from the image pull to the task's stop, with a minimum of one minute. */
const MINIMUM_BILLED_SECONDS = 60;

export function summarize(run: Run, pricing: FargatePricing): PolicySummary {
  const waits = run.dispatches
    .map((dispatch) => dispatch.waitSeconds)
    .filter((wait): wait is number => wait !== undefined)
    .sort((a, b) => a - b);
  let billedSeconds = 0;
  let busySeconds = 0;
  for (const task of run.tasks) {
    billedSeconds += Math.max(MINIMUM_BILLED_SECONDS, (task.stoppedAt - task.launchedAt) / 1000);
    busySeconds += task.busySeconds;
  }
  return {
    warmRatio: run.dispatches.filter((dispatch) => dispatch.warm).length / run.dispatches.length,
    waitP50Seconds: percentile(waits, 0.5),
    waitP95Seconds: percentile(waits, 0.95),
    waitP99Seconds: percentile(waits, 0.99),
    idleWorkerHours: (billedSeconds - busySeconds) / 3600,
    busyWorkerHours: busySeconds / 3600,
    costUsd: (billedSeconds / 3600) * taskHourPrice(pricing),
    dispatches: run.dispatches.length,
    failedStarts: run.dispatches.length - waits.length,
    tasksStarted: run.tasks.length,
    throttledCalls: run.calls.filter((call) => call.outcome === 'throttled').length,
  };
}

/** The nearest-rank percentile of ascending `values`; 0 when there are none. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) {
    return 0;
  }
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length))) - 1];
}
