import { Duration } from 'aws-cdk-lib';

/**
 * A window in which an agent's pool keeps at least `minIdle` idle workers, e.g. working hours.
 *
 * @example
 * { cron: '* 8-17 * * MON-FRI', timeZone: 'Europe/Berlin', minIdle: 3 }
 */
export interface PoolSchedule {
  /**
   * The minutes the window covers, as a five-field cron expression (minute hour day-of-month month
   * day-of-week; `*`, ranges, steps, lists, and month and day names): `* 8-17 * * MON-FRI` is every minute
   * from 08:00 to 17:59 on weekdays. It names the minutes, not the moments the window opens, so it needs no end.
   */
  readonly cron: string;
  /** The IANA time zone the expression is read in, e.g. `Europe/Berlin`; daylight-saving time moves the window with the local clock. */
  readonly timeZone: string;
  /** The idle workers kept while the window is open (at most `maxWorkers`). */
  readonly minIdle: number;
}

/**
 * An agent's warm pool: started, healthy, idle workers kept ready so that a dispatch starts in under a second
 * (docs/pool.md). Between `minIdle` and `maxWorkers`, the pool follows demand by value: it holds a worker
 * while the warm starts it is expected to give (from the agent's week, learned from its dispatches, and its
 * recent rate) are worth more at `waitValue` than the worker's idle hour costs at Fargate's price.
 */
export interface WarmPoolOptions {
  /**
   * Whether the agent has a warm pool. Turning it off drains the pool: its idle and starting workers are
   * stopped within a minute, and every dispatch of the agent starts cold.
   * @default true
   */
  readonly enabled?: boolean;
  /** Idle workers kept at all times, whatever the demand (each costs its Fargate price while it waits). @default 0 */
  readonly minIdle?: number;
  /**
   * The most workers the pool holds that are not running a dispatch, idle and starting together (1 to 1000).
   * The default lets demand decide, up to the 100 tasks Fargate launches at once in an account.
   * @default 100
   */
  readonly maxWorkers?: number;
  /** A worker is stopped once it has been idle this long, unless the floor or the demand keeps it (1 minute to 24 hours). @default Duration.minutes(15) */
  readonly idleTimeout?: Duration;
  /** Windows that raise the floor, e.g. working hours; where several are open, the highest `minIdle` applies. @default - none */
  readonly schedules?: PoolSchedule[];
  /**
   * The share of the pool's workers started on Fargate Spot, from 0 to 1. Spot costs about 70% less than
   * X86_64 on demand, but AWS may reclaim a Spot task with two minutes' notice: an interrupted idle worker turns
   * the next dispatch's warm start into a cold one (the pool replaces it), and a run it reclaims ends FAILED
   * ("Fargate Spot reclaimed the task"). Fargate Spot runs only X86_64 tasks, so a share above 0 needs the
   * agent's `cpuArchitecture: FargateArchitecture.X86_64`; synthesis refuses it on ARM64 (docs/pool.md, "Fargate Spot").
   * @default 0
   */
  readonly spotShare?: number;
  /**
   * What an hour of someone (or a pipeline) waiting for a cold start is worth to you, USD (0 to 10,000). The
   * pool weighs each idle worker's Fargate price against the waits it saves at this value: at $60 an hour a
   * 1 vCPU / 4 GB arm64 worker ($0.047 an hour) is held while it is expected to start a dispatch warm about
   * once a day. Higher holds more workers; 0 holds none beyond the floors (docs/pool.md, "What a wait costs").
   * @default 60
   */
  readonly waitValue?: number;
  /**
   * A floor under the value rule, from 0.5 to 0.999: the pool also keeps enough workers to start this share
   * of dispatches warm at the recent rate, whatever the waits are worth.
   * @default - no floor: the value rule alone decides
   */
  readonly targetWarmRatio?: number;
}
