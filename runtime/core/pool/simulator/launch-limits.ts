import { FARGATE_LAUNCH_LIMITS, type LaunchLimits } from '../launch-limits';

export { FARGATE_LAUNCH_LIMITS, type LaunchLimits };

/** What became of one RunTask call. */
export type CallOutcome = 'launched' | 'throttled';

export interface CallRecord {
  readonly at: number;
  readonly tasks: number;
  readonly outcome: CallOutcome;
  /** Whether the call counted against the calls-per-second quota (a call refused by it did not). */
  readonly accepted: boolean;
  /** Tokens left in the task bucket after the call. */
  readonly tokens: number;
}

/**
 * RunTask's limits as the simulator applies them. A call beyond the calls of its second is refused before
 * it counts; a counted call for more tasks than the bucket holds is throttled and starts none. (AWS keeps a
 * separate bucket for Spot launches; one shared bucket is the stricter model.)
 */
export class LaunchLimiter {
  /** Every call so far, unless the limiter was given `onCall` instead (a long run need not hold them). */
  public readonly calls: CallRecord[] = [];
  private tokens: number;
  private refilledAt: number | undefined;
  private second = Number.NEGATIVE_INFINITY;
  private callsThisSecond = 0;

  constructor(
    private readonly limits: LaunchLimits = FARGATE_LAUNCH_LIMITS,
    private readonly onCall: (record: CallRecord) => void = (record) => this.calls.push(record),
  ) {
    this.tokens = limits.bucketSize;
  }

  /** One RunTask call for `tasks` tasks at `now` (epoch ms). */
  public call(now: number, tasks: number): CallOutcome {
    if (!Number.isInteger(tasks) || tasks < 1 || tasks > this.limits.tasksPerCall) {
      throw new Error(`a RunTask call starts 1 to ${this.limits.tasksPerCall} tasks, not ${tasks}`);
    }
    this.refill(now);
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.second = second;
      this.callsThisSecond = 0;
    }
    if (this.callsThisSecond >= this.limits.callsPerSecond) {
      return this.record(now, tasks, 'throttled', false);
    }
    this.callsThisSecond += 1;
    if (this.tokens < tasks) {
      return this.record(now, tasks, 'throttled', true);
    }
    this.tokens -= tasks;
    return this.record(now, tasks, 'launched', true);
  }

  private refill(now: number): void {
    if (this.refilledAt !== undefined) {
      if (now < this.refilledAt) {
        throw new Error(`RunTask calls must come in time order: ${now} after ${this.refilledAt}`);
      }
      this.tokens = Math.min(this.limits.bucketSize, this.tokens + ((now - this.refilledAt) / 1000) * this.limits.refillPerSecond);
    }
    this.refilledAt = now;
  }

  private record(at: number, tasks: number, outcome: CallOutcome, accepted: boolean): CallOutcome {
    this.onCall({ at, tasks, outcome, accepted, tokens: this.tokens });
    return outcome;
  }
}
