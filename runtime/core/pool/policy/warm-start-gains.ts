import { arrivalsAfter } from './demand';

/**
 * The warm starts each added worker would have given over `(from, to]`: `gains[k − 1]` is how many more of the
 * window's arrivals a pool of k workers starts warm than a pool of k − 1. The pool is the scaler's: a claimed
 * worker is replaced at once and its replacement is ready one cold start later, so an arrival finds an idle
 * worker exactly when fewer than k claims came within the cold start before it (arrivals that found none
 * started cold and claimed nothing). Replaying the real arrivals, rather than assuming Poisson, sees clusters as
 * they were: a pipeline fanning out 20 jobs in a minute gives the 20th worker a warm start; a dispatch an hour
 * gives the second worker none.
 *
 * `arrivals` is ascending epoch ms and must reach one cold start before `from` (earlier claims hold workers at
 * the window's start). Trailing zero gains are left out; at most `maxWorkers` gains.
 */
export function warmStartGains(arrivals: readonly number[], from: number, to: number, coldStartMs: number, maxWorkers: number): number[] {
  const first = firstAfter(arrivals, from - coldStartMs);
  const end = firstAfter(arrivals, to);
  const counted = end - firstAfter(arrivals, from);
  const gains: number[] = [];
  let previous = 0;
  for (let workers = 1; workers <= maxWorkers && previous < counted; workers++) {
    const warm = warmArrivals(arrivals, first, end, from, coldStartMs, workers);
    gains.push(warm - previous);
    previous = warm;
  }
  return gains;
}

/** The index of the first of ascending `arrivals` after `at`. */
function firstAfter(arrivals: readonly number[], at: number): number {
  return arrivals.length - arrivalsAfter(arrivals, at);
}

/** Arrivals after `from` (among indexes `first` to `end`) that a pool of `workers` starts warm. */
function warmArrivals(arrivals: readonly number[], first: number, end: number, from: number, coldStartMs: number, workers: number): number {
  // The claim times within the last cold start, oldest first, in a ring of `workers` slots: a claim frees its
  // slot (its replacement is ready) one cold start later.
  const claims = new Array<number>(workers);
  let oldest = 0;
  let held = 0;
  let warm = 0;
  for (let index = first; index < end; index++) {
    const at = arrivals[index];
    while (held > 0 && claims[oldest] <= at - coldStartMs) {
      oldest = (oldest + 1) % workers;
      held--;
    }
    if (held < workers) {
      claims[(oldest + held) % workers] = at;
      held++;
      if (at > from) {
        warm++;
      }
    }
  }
  return warm;
}
