import type { ColdStartDistribution } from './cold-start';

/** Each agent's measured cold starts, seconds: the `--cold-starts` file's shape, `{ "<agent>": [seconds...] }`. */
export type MeasuredColdStarts = Readonly<Record<string, readonly number[]>>;

/** Where an agent's simulated cold starts came from, for the output. */
export type ColdStartOrigin =
  | { readonly measured: true; readonly samples: number }
  | { readonly measured: false };

/**
 * `{ "<agent>": [seconds...] }`, checked: every value a list of positive, finite seconds. Throws naming the agent
 * and the position of what is wrong, and the shape expected.
 */
export function parseMeasuredColdStarts(json: unknown, source: string): MeasuredColdStarts {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`${source}: expected an object of each agent's cold starts in seconds, e.g. { "claude": [52.1, 61.0] }`);
  }
  const measured: Record<string, number[]> = {};
  for (const [agent, samples] of Object.entries(json)) {
    if (!Array.isArray(samples)) {
      throw new Error(`${source}: "${agent}" must be a list of cold starts in seconds, e.g. [52.1, 61.0]`);
    }
    samples.forEach((seconds, index) => {
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
        throw new Error(`${source}: "${agent}"[${index}] is ${JSON.stringify(seconds)}, not a positive number of seconds`);
      }
    });
    measured[agent] = samples;
  }
  return measured;
}

/** One period's statistics of a metric, as CloudWatch's GetMetricStatistics gives them. */
export interface PeriodStatistics {
  readonly SampleCount: number;
  readonly Sum: number;
  readonly Minimum: number;
  readonly Maximum: number;
}

/**
 * The cold starts behind per-minute statistics: CloudWatch gives statistics, not the values published, but a
 * minute holds few cold starts. One value is its own minimum; two are the minimum and the maximum; of more, the
 * minimum, the maximum, and the rest at the mean of what remains, so every sample keeps the minute's sum.
 */
export function samplesOfStatistics(periods: readonly PeriodStatistics[]): number[] {
  return periods.flatMap(({ SampleCount: count, Sum: sum, Minimum: min, Maximum: max }) => {
    const n = Math.round(count);
    if (n <= 0) {
      return [];
    }
    if (n === 1) {
      return [min];
    }
    const rest = (sum - min - max) / (n - 2);
    return [min, ...Array.from({ length: n - 2 }, () => rest), max];
  });
}

/**
 * The cold-start model of each agent: its measured samples (drawn from, seeded) when it has any, the assumed
 * distribution otherwise; and, for the output, which it was. The samples are sorted, so that the same samples
 * simulate the same whatever order their source lists them in (CloudWatch's by time, a file's as written).
 */
export function coldStartModels(
  agents: readonly string[], measured: MeasuredColdStarts, assumed: ColdStartDistribution,
): Map<string, { model: ColdStartDistribution; origin: ColdStartOrigin }> {
  return new Map(agents.map((agent) => {
    const samples = measured[agent] ?? [];
    return [agent, samples.length > 0
      ? { model: { kind: 'empirical', samples: [...samples].sort((a, b) => a - b) }, origin: { measured: true, samples: samples.length } }
      : { model: assumed, origin: { measured: false } }];
  }));
}
