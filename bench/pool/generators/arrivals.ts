import { exponential, logUniform, type Random } from '../../../runtime/core/pool/simulator/random';
import type { TraceDispatch } from '../../../runtime/core/pool/simulator/trace';

/**
 * Arrival times (epoch ms) of a Poisson process whose rate varies over time, by thinning: candidates at the
 * peak rate, each kept with probability rate(t) / peak.
 */
export function poissonArrivals(random: Random, from: number, to: number, perHourAt: (at: number) => number, peakPerHour: number): number[] {
  const arrivals: number[] = [];
  const meanGapMs = 3_600_000 / peakPerHour;
  for (let at = from + exponential(random, meanGapMs); at < to; at += exponential(random, meanGapMs)) {
    if (random() * peakPerHour < perHourAt(at)) {
      arrivals.push(at);
    }
  }
  return arrivals;
}

/** Dispatches at `arrivals`, whole seconds, each running 2 to 20 minutes (log-uniform) unless told otherwise. */
export function dispatchesAt(random: Random, arrivals: readonly number[], agent: string, minSeconds = 120, maxSeconds = 1200): TraceDispatch[] {
  return arrivals.map((at) => ({
    at: Math.round(at / 1000) * 1000,
    agent,
    durationSeconds: Math.round(logUniform(random, minSeconds, maxSeconds)),
  }));
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
