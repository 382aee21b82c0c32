import { FARGATE_LAUNCH_LIMITS, type LaunchLimits } from '../launch-limits';

/** The part of the account's Fargate launch rate the pool scalers may take; dispatches' cold starts keep the rest. */
export const SCALER_SHARE = 0.5;

/** How one agent's scaler run paces the workers it starts. */
export interface LaunchPace {
  /** Workers started together, one RunTask call each, at most once a second. */
  readonly perWave: number;
  /** The most workers the run starts; the next run starts the rest. */
  readonly perRun: number;
}

/**
 * The pace at which the scalers of `agents` pools, all starting workers at once for `seconds`, stay within
 * `share` of RunTask's call rate and of the task bucket's refill. Each worker has its own token, so each call
 * starts one task and calls and tasks count alike; drawing below the refill rate, the scalers never empty the
 * bucket, from which a dispatch's cold start (someone waiting for it) draws too.
 */
export function launchPace(agents: number, seconds: number, share = SCALER_SHARE, limits: LaunchLimits = FARGATE_LAUNCH_LIMITS): LaunchPace {
  const perSecond = (Math.min(limits.callsPerSecond, limits.refillPerSecond) * share) / Math.max(1, agents);
  const perWave = Math.max(1, Math.floor(perSecond));
  return { perWave, perRun: perWave * Math.max(1, Math.floor(seconds)) };
}

/** The waves that start `wanted` workers at `pace`: as many full waves as fit the run, then what is left. */
export function launchWaves(wanted: number, pace: LaunchPace): number[] {
  const waves: number[] = [];
  for (let left = Math.min(Math.max(0, Math.floor(wanted)), pace.perRun); left > 0; left -= pace.perWave) {
    waves.push(Math.min(left, pace.perWave));
  }
  return waves;
}
