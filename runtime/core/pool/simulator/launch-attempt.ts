import type { LaunchLimiter } from './launch-limits';
import type { Random } from './random';
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF, delayMs } from '../../backoff';

export type AttemptResult =
  | { readonly outcome: 'launched' }
  | { readonly outcome: 'retry'; readonly at: number }
  | { readonly outcome: 'failed' };

/**
 * One RunTask call for one task, as WorkerLauncher makes it (docs/control-plane.md, "Starting a worker"):
 * one task a call, since each carries its own token; throttled, it backs off with full jitter (the runtime's
 * own backoff) and gives up after the same number of tries.
 */
export function attemptLaunch(limiter: LaunchLimiter, now: number, attempt: number, jitter: Random): AttemptResult {
  if (limiter.call(now, 1) === 'launched') {
    return { outcome: 'launched' };
  }
  if (attempt + 1 >= DEFAULT_ATTEMPTS) {
    return { outcome: 'failed' };
  }
  return { outcome: 'retry', at: now + delayMs(attempt, DEFAULT_BACKOFF, jitter) };
}
