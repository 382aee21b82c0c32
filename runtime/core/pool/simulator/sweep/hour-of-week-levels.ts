import { HOURS_PER_WEEK, hourOfWeek } from '../baselines/hour-of-week-schedule';

const HOUR_MS = 3_600_000;

export interface HourOfWeekLevelsInput {
  /** One agent's dispatch times, epoch milliseconds, oldest first. */
  readonly arrivals: readonly number[];
  /** How long a claimed worker takes to be replaced, and so the wait a warm start saves: a mean cold start. */
  readonly coldStartSeconds: number;
  readonly waitValueUsdPerHour: number;
  /** What an idle worker costs an hour. */
  readonly workerHourUsd: number;
  /** A worker must save this many times its idle cost to be kept: 1 keeps every worker that pays. */
  readonly threshold: number;
  /** The most workers any hour keeps. */
  readonly maxLevel: number;
}

/**
 * How many workers each hour of week (UTC) keeps, chosen in hindsight from the trace's own arrivals. With k
 * workers standing and each claimed one replaced within a cold start, a dispatch starts warm when fewer than k
 * of the agent's dispatches came in the cold start before it. So for each hour of week the level k is the one
 * with the most value: the waits it saves (a cold start each, at the wait value, per week that hour occurs in the
 * trace) less `threshold` times the hour of k idle workers.
 */
export function hourOfWeekLevels(input: HourOfWeekLevelsInput): number[] {
  const { arrivals, coldStartSeconds, maxLevel } = input;
  const levels = new Array<number>(HOURS_PER_WEEK).fill(0);
  if (arrivals.length === 0) {
    return levels;
  }
  const hoursSeen = occurrences(arrivals[0], arrivals[arrivals.length - 1]);
  // savedBy[h][m]: the hour's dispatches that found m others in the cold start before them: k > m workers serve them warm.
  const savedBy = Array.from({ length: HOURS_PER_WEEK }, () => new Array<number>(maxLevel).fill(0));
  let first = 0;
  arrivals.forEach((at, index) => {
    while (at - arrivals[first] >= coldStartSeconds * 1000) {
      first += 1;
    }
    const before = index - first;
    if (before < maxLevel) {
      savedBy[hourOfWeek(at)][before] += 1;
    }
  });
  const waitUsd = (coldStartSeconds / 3600) * input.waitValueUsdPerHour;
  for (let hour = 0; hour < HOURS_PER_WEEK; hour++) {
    let saved = 0;
    let bestValue = 0;
    for (let level = 1; level <= maxLevel && hoursSeen[hour] > 0; level++) {
      saved += savedBy[hour][level - 1];
      const value = (saved * waitUsd) / hoursSeen[hour] - input.threshold * level * input.workerHourUsd;
      if (value > bestValue) {
        bestValue = value;
        levels[hour] = level;
      }
    }
  }
  return levels;
}

/** How many times each hour of week occurs from the hour of `first` to the hour of `last`, both included. */
function occurrences(first: number, last: number): number[] {
  const counts = new Array<number>(HOURS_PER_WEEK).fill(0);
  const hours = Math.floor(last / HOUR_MS) - Math.floor(first / HOUR_MS) + 1;
  const start = hourOfWeek(first);
  for (let hour = 0; hour < Math.min(hours, HOURS_PER_WEEK); hour++) {
    counts[(start + hour) % HOURS_PER_WEEK] = Math.floor((hours - 1 - hour) / HOURS_PER_WEEK) + 1;
  }
  return counts;
}
