import { burstDemandFloor } from './burst-floor';
import { arrivalRate, meanColdStartSeconds } from './demand';
import { idleWorkersToStop } from './idle-stops';
import type { PolicyInput, PoolDecision, PoolPolicy } from './policy';
import { scheduledMinIdle } from './schedule';
import { steadyDemandFloor } from './steady-floor';

/** The arrival rate is the higher of these two windows' rates: up within a dispatch, down over an hour. */
const SHORT_RATE_WINDOW_SECONDS = 10 * 60;
const LONG_RATE_WINDOW_SECONDS = 60 * 60;
/** A standing worker must be expected to start a dispatch warm at least every two hours it idles. */
const MAX_IDLE_HOURS_PER_WARM_START = 2;
/** Six hours span a working day's gaps between pipelines; yesterday's hour either side of now; 10 arrivals at least. */
const BURST_RULE = { recentSeconds: 6 * 3600, yesterdaySeconds: 3600, minArrivals: 10 };

/**
 * The default warm-pool policy (docs/pool.md, "The default policy"). Memoryless, so it gives the same answer
 * on the scaler's minute and on any event, and a claimed worker is replaced by the claim's own evaluation:
 *
 *   floor = min(maxWorkers, max(minIdle, scheduled minIdle, steady floor, burst floor))
 *   start = floor − (idle + starting), when positive
 *   stop  = idle workers beyond maxWorkers at once; beyond the floor once idle for idleTimeout
 *
 * The steady floor sizes the pool for Poisson demand at the recent rate (steadyDemandFloor); the burst
 * floor for demand that comes in clusters (burstDemandFloor), read at a stricter quantile than the target,
 * halfway from it to 1, since a cluster larger than the pool loses its whole excess at once.
 */
export const defaultPolicy: PoolPolicy = {
  name: 'default',
  // Yesterday's window starts 25 hours back; its first arrival's cluster reaches a cold start (under 10 minutes) further.
  lookbackSeconds: 86_400 + BURST_RULE.yesterdaySeconds + 600,
  decide({ now, pool, demand, config }: PolicyInput): PoolDecision {
    const coldStartSeconds = meanColdStartSeconds(demand.coldStartSeconds, config.assumedColdStartSeconds);
    const rate = Math.max(arrivalRate(demand.arrivals, now, SHORT_RATE_WINDOW_SECONDS), arrivalRate(demand.arrivals, now, LONG_RATE_WINDOW_SECONDS));
    const { targetWarmRatio, maxWorkers } = config;
    const steadyRule = { targetWarmRatio, maxIdleHoursPerWarmStart: MAX_IDLE_HOURS_PER_WARM_START, cap: maxWorkers };
    const steady = steadyDemandFloor(rate, coldStartSeconds, steadyRule);
    const burst = burstDemandFloor(demand.arrivals, now, coldStartSeconds, { ...BURST_RULE, quantile: (1 + targetWarmRatio) / 2 });
    const floor = Math.min(maxWorkers, Math.max(config.minIdle, scheduledMinIdle(config.schedules, now), steady, burst));
    return {
      start: Math.max(0, floor - pool.idle.length - pool.starting),
      stop: idleWorkersToStop(pool, now, { keep: floor, cap: maxWorkers, idleForMs: config.idleTimeoutSeconds * 1000 }),
      target: floor,
      memory: {},
    };
  },
};
