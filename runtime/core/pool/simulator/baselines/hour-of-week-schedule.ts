import { meanColdStartSeconds } from '../../policy/demand';
import type { PolicyInput, PoolDecision, PoolPolicy } from '../../policy/policy';

export const HOURS_PER_WEEK = 168;

/** Hours from Monday 00:00 UTC: 0 to 167. The epoch (1970-01-01) was a Thursday, 72 hours into its week. */
export function hourOfWeek(epochMs: number): number {
  return (Math.floor(epochMs / 3_600_000) + 72) % HOURS_PER_WEEK;
}

/**
 * A static pool by hour of week (UTC): `minIdle[h]` workers idle or starting through hour `h`, whatever the
 * demand. The next hour's level is started one cold start plus `aheadSeconds` early (the scaler's tick, when
 * the policy runs only on it and on events), so it is ready when the hour begins; workers above both levels
 * are stopped at once. A claimed worker is replaced at once, as the fixed pool does.
 */
export function hourOfWeekSchedule(minIdle: readonly number[], aheadSeconds = 60, name = 'hour-of-week'): PoolPolicy {
  if (minIdle.length !== HOURS_PER_WEEK || minIdle.some((level) => !Number.isInteger(level) || level < 0)) {
    throw new Error(`an hour-of-week schedule needs ${HOURS_PER_WEEK} whole numbers of workers, 0 or more`);
  }
  return {
    name,
    lookbackSeconds: 0,
    decide({ now, pool, demand, config }: PolicyInput): PoolDecision {
      const leadMs = (meanColdStartSeconds(demand.coldStartSeconds, config.assumedColdStartSeconds) + aheadSeconds) * 1000;
      const target = Math.max(minIdle[hourOfWeek(now)], minIdle[hourOfWeek(now + leadMs)]);
      const excess = Math.max(0, pool.idle.length - target);
      return {
        start: Math.max(0, target - pool.idle.length - pool.starting),
        stop: pool.idle.slice(0, excess).map((worker) => worker.taskId),
        target,
        memory: {},
      };
    },
  };
}
