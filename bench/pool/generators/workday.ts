import { DAY_MS, dispatchesAt, HOUR_MS, poissonArrivals } from './arrivals';
import { seededStream } from '../../../runtime/core/pool/simulator/random';
import type { TraceDispatch } from '../../../runtime/core/pool/simulator/trace';

export interface WorkdayOptions {
  readonly seed: number;
  readonly engineers: number;
  /** Each engineer's dispatches on an average day. */
  readonly dispatchesPerEngineer: number;
  readonly days: number;
  /** Midnight of the first day, epoch ms; the curve is in this clock. */
  readonly start: number;
  readonly agent: string;
}

/** Ten engineers' working week from Monday, 2 March 2026 (UTC). */
export const WORKDAY_DEFAULTS: Omit<WorkdayOptions, 'seed'> = {
  engineers: 10,
  dispatchesPerEngineer: 24,
  days: 5,
  start: Date.parse('2026-03-02T00:00:00Z'),
  agent: 'claude',
};

/**
 * The shape of a working day, relative to its busiest hours, by hour of day (linear between points): quiet
 * nights (someone on call, a late commit), a morning ramp, a lunch dip, an afternoon fading into the evening.
 */
const DAY_SHAPE: ReadonlyArray<readonly [hour: number, level: number]> = [
  [0, 0.02], [6.5, 0.02], [8, 0.45], [9.5, 1], [12, 1], [12.5, 0.4], [13.25, 0.4], [14, 1],
  [17, 0.9], [18.5, 0.3], [20, 0.1], [22, 0.03], [24, 0.02],
];

export function dayLevel(hour: number): number {
  const after = DAY_SHAPE.findIndex(([pointHour]) => pointHour > hour);
  if (after <= 0) {
    return DAY_SHAPE[DAY_SHAPE.length - 1][1];
  }
  const [h0, l0] = DAY_SHAPE[after - 1];
  const [h1, l1] = DAY_SHAPE[after];
  return l0 + ((hour - h0) / (h1 - h0)) * (l1 - l0);
}

/** The day's shape integrated over 24 hours (in level-hours), so that a day's dispatches add up. */
const LEVEL_HOURS = DAY_SHAPE.slice(1).reduce((sum, [hour, level], index) => {
  const [previousHour, previousLevel] = DAY_SHAPE[index];
  return sum + ((hour - previousHour) * (level + previousLevel)) / 2;
}, 0);

/** Dispatches per hour at `at` for `perDay` dispatches on a day shaped like DAY_SHAPE. */
export function workdayRate(at: number, start: number, perDay: number): number {
  const hour = (((at - start) % DAY_MS) + DAY_MS) % DAY_MS / HOUR_MS;
  return (perDay * dayLevel(hour)) / LEVEL_HOURS;
}

/** Engineers dispatching through the working day; each day is 15% busier or quieter than average at random. */
export function workdayTrace(options: WorkdayOptions): TraceDispatch[] {
  const random = seededStream(options.seed, 'workday');
  const dispatches: TraceDispatch[] = [];
  for (let day = 0; day < options.days; day++) {
    const from = options.start + day * DAY_MS;
    const perDay = options.engineers * options.dispatchesPerEngineer * (0.85 + 0.3 * random());
    const peak = workdayRate(from + 10 * HOUR_MS, from, perDay);
    const arrivals = poissonArrivals(random, from, from + DAY_MS, (at) => workdayRate(at, from, perDay), peak);
    dispatches.push(...dispatchesAt(random, arrivals, options.agent));
  }
  return dispatches;
}
