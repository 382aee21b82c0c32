import type { ColdStartDistribution } from '../cold-start';
import { withCost, type CostedResult } from '../cost';
import type { FargatePricing } from '../pricing';
import type { Run } from '../run';
import { summarize } from '../summary';

/** Several agents' runs, each simulated on its own dispatches, as one run of the whole trace. */
export function combinedResult(runs: ReadonlyArray<Pick<Run, 'dispatches' | 'tasks'>>, pricing: FargatePricing, waitValueUsdPerHour: number): CostedResult {
  const run: Run = {
    dispatches: runs.flatMap((part) => part.dispatches),
    tasks: runs.flatMap((part) => part.tasks),
    samples: [],
    calls: [],
  };
  const { warmRatio, waitP50Seconds, waitP95Seconds, waitP99Seconds, idleWorkerHours, busyWorkerHours, costUsd, waitHours } = summarize(run, pricing);
  const result = { warmRatio, waitP50Seconds, waitP95Seconds, waitP99Seconds, idleWorkerHours, busyWorkerHours, costUsd, waitHours };
  return withCost(result, waitValueUsdPerHour);
}

/** A cold-start model's mean, seconds. */
export function meanSeconds(model: ColdStartDistribution): number {
  switch (model.kind) {
    case 'triangular':
      return (model.min + model.mode + model.max) / 3;
    case 'uniform':
      return (model.min + model.max) / 2;
    case 'constant':
      return model.seconds;
    case 'empirical':
      return model.samples.reduce((sum, seconds) => sum + seconds, 0) / model.samples.length;
  }
}
