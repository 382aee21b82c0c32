import { erlangB, serversForBlocking } from './erlang';

export interface SteadyRule {
  readonly targetWarmRatio: number;
  /** A worker that would idle longer than this for each warm start it adds is not kept. */
  readonly maxIdleHoursPerWarmStart: number;
  /** The most workers the floor may ask for. */
  readonly cap: number;
}

/**
 * Idle and starting workers for Poisson demand at `ratePerSecond` when a worker takes `coldStartSeconds` to
 * start. A claimed worker is replaced at once, so the workers still starting are those replacing claims of
 * the last cold start: with S workers idle or starting, a dispatch finds none idle exactly when S claims
 * came within one cold start, Erlang's loss B(S, rate × cold start). The floor is the smallest S with
 * 1 − B ≥ `rule.targetWarmRatio`, less any worker that would idle more than `rule.maxIdleHoursPerWarmStart` for each
 * warm start it adds (thin demand, such as a night's odd dispatch, is not worth a standing worker).
 */
export function steadyDemandFloor(ratePerSecond: number, coldStartSeconds: number, rule: SteadyRule): number {
  const load = ratePerSecond * coldStartSeconds;
  let floor = serversForBlocking(load, 1 - rule.targetWarmRatio, rule.cap);
  // Worker k adds rate × (B(k−1) − B(k)) warm starts an hour and idles at most the whole hour.
  while (floor > 0 && ratePerSecond * 3600 * (erlangB(floor - 1, load) - erlangB(floor, load)) * rule.maxIdleHoursPerWarmStart < 1) {
    floor--;
  }
  return floor;
}
