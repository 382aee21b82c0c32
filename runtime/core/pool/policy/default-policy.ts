import { arrivalRate, meanColdStartSeconds } from './demand';
import { serversForBlocking } from './erlang';
import { idleWorkersToStop } from './idle-stops';
import type { PolicyInput, PoolDecision, PoolPolicy } from './policy';
import { scheduledMinIdle } from './schedule';

const SHORT_WINDOW_SECONDS = 10 * 60;
const LONG_WINDOW_SECONDS = 60 * 60;

export const defaultPolicy: PoolPolicy = {
  name: 'default',
  lookbackSeconds: LONG_WINDOW_SECONDS,
  decide(input: PolicyInput): PoolDecision {
    const { now, pool, demand, config } = input;
    const rate = Math.max(arrivalRate(demand.arrivals, now, SHORT_WINDOW_SECONDS), arrivalRate(demand.arrivals, now, LONG_WINDOW_SECONDS));
    const load = rate * meanColdStartSeconds(demand.coldStartSeconds, config.assumedColdStartSeconds);
    const demandFloor = serversForBlocking(load, 1 - config.targetWarmRatio, config.maxWorkers);
    const target = Math.min(config.maxWorkers, Math.max(config.minIdle, scheduledMinIdle(config.schedules, now), demandFloor));
    const held = pool.idle.length + pool.starting;
    return {
      start: Math.max(0, target - held),
      stop: idleWorkersToStop(pool, target, now, config.idleTimeoutSeconds * 1000),
      target,
      memory: {},
    };
  },
};
