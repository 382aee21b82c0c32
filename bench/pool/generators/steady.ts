import { dispatchesAt, HOUR_MS, poissonArrivals } from './arrivals';
import { seededStream } from '../../../runtime/core/pool/simulator/random';
import type { TraceDispatch } from '../../../runtime/core/pool/simulator/trace';

export interface SteadyOptions {
  readonly seed: number;
  readonly perHour: number;
  readonly hours: number;
  readonly start: number;
  readonly agent: string;
}

export const STEADY_DEFAULTS: Omit<SteadyOptions, 'seed'> = {
  perHour: 30,
  hours: 24,
  start: Date.parse('2026-03-02T00:00:00Z'),
  agent: 'claude',
};

/** Poisson arrivals at one rate, around the clock. */
export function steadyTrace(options: SteadyOptions): TraceDispatch[] {
  const random = seededStream(options.seed, 'steady');
  const to = options.start + options.hours * HOUR_MS;
  return dispatchesAt(random, poissonArrivals(random, options.start, to, () => options.perHour, options.perHour), options.agent);
}
