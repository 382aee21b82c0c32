import { FAILED_START_WAIT_SECONDS } from './cost';
import type { CallRecord } from './launch-limits';
import { taskHourPrice, type FargatePricing } from './pricing';
import type { DispatchOutcome, Run, RunObserver, TaskBill } from './run';
import { WaitHistogram } from './wait-histogram';

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
  /** Every dispatch's wait added up, in hours; a failed start counts as FAILED_START_WAIT_SECONDS (cost.ts). */
  readonly waitHours: number;
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

/**
 * A run's numbers, summed as it goes (a {@link RunObserver}): exact counts and sums, and the waits in a
 * fixed-size histogram, so its memory does not grow with the trace. Its percentiles are within
 * WAIT_PERCENTILE_RELATIVE_ERROR (0.1%) of the sorted waits' nearest rank.
 */
export class RunTotals implements RunObserver {
  private readonly waits = new WaitHistogram();
  private dispatches = 0;
  private warm = 0;
  private waitSeconds = 0;
  private billedSeconds = 0;
  private busySeconds = 0;
  private tasksStarted = 0;
  private throttledCalls = 0;

  public dispatch(outcome: DispatchOutcome): void {
    this.dispatches += 1;
    if (outcome.warm) {
      this.warm += 1;
    }
    if (outcome.waitSeconds !== undefined) {
      this.waits.add(outcome.waitSeconds);
      this.waitSeconds += outcome.waitSeconds;
    }
  }

  public task(bill: TaskBill): void {
    this.billedSeconds += Math.max(MINIMUM_BILLED_SECONDS, (bill.stoppedAt - bill.launchedAt) / 1000);
    this.busySeconds += bill.busySeconds;
    this.tasksStarted += 1;
  }

  public call(record: CallRecord): void {
    if (record.outcome === 'throttled') {
      this.throttledCalls += 1;
    }
  }

  public summary(pricing: FargatePricing): PolicySummary {
    return {
      warmRatio: this.warm / this.dispatches,
      waitP50Seconds: this.waits.percentile(0.5),
      waitP95Seconds: this.waits.percentile(0.95),
      waitP99Seconds: this.waits.percentile(0.99),
      idleWorkerHours: (this.billedSeconds - this.busySeconds) / 3600,
      busyWorkerHours: this.busySeconds / 3600,
      costUsd: (this.billedSeconds / 3600) * taskHourPrice(pricing),
      waitHours: (this.waitSeconds + (this.dispatches - this.waits.size) * FAILED_START_WAIT_SECONDS) / 3600,
      dispatches: this.dispatches,
      failedStarts: this.dispatches - this.waits.size,
      tasksStarted: this.tasksStarted,
      throttledCalls: this.throttledCalls,
    };
  }
}

/** A recorded run's numbers, as RunTotals sums them. */
export function summarize(run: Run, pricing: FargatePricing): PolicySummary {
  const totals = new RunTotals();
  run.dispatches.forEach((outcome) => totals.dispatch(outcome));
  run.tasks.forEach((bill) => totals.task(bill));
  run.calls.forEach((call) => totals.call(call));
  return totals.summary(pricing);
}

/** The nearest-rank percentile of ascending `values`; 0 when there are none. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) {
    return 0;
  }
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length))) - 1];
}
