/**
 * Issue 18's targets, measured: on every trace, at seeds 1 to 3 and wait values of $20 and $100 an hour, the
 * default policy's total cost against the best static setting in hindsight (`--sweep`'s families), its warm
 * ratio and idle worker-hours. Prints a markdown table (bench/pool/RESULTS.md, "On real traffic").
 *
 *   npx ts-node --transpile-only --project bench/tsconfig.json bench/pool/targets.ts TRACE.csv…
 */
import * as path from 'path';
import { readTrace } from './read-trace';
import { poolConfig } from '../../runtime/core/pool/policy/config';
import { defaultPolicy } from '../../runtime/core/pool/policy/default-policy';
import { DEFAULT_COMPARISON } from '../../runtime/core/pool/simulator/compare';
import { withCost } from '../../runtime/core/pool/simulator/cost';
import { taskHourPrice } from '../../runtime/core/pool/simulator/pricing';
import { simulatePolicy } from '../../runtime/core/pool/simulator/simulator';
import { summarize } from '../../runtime/core/pool/simulator/summary';
import { SWEEP_FAMILIES, sweepStaticSettings } from '../../runtime/core/pool/simulator/sweep/sweep';

const SEEDS = [1, 2, 3];
const WAIT_VALUES = [20, 100];

const files = process.argv.slice(2);
if (files.length === 0) {
  throw new Error('usage: targets.ts TRACE.csv…');
}
console.log('| trace | $/h | seed | default: total $, warm, idle h | best static (family: setting), total $ | default ÷ best | best without hour-of-week, total $ | default ÷ it |');
console.log('| --- | ---: | ---: | --- | --- | ---: | --- | ---: |');
for (const file of files) {
  const trace = readTrace(file);
  for (const waitValueUsdPerHour of WAIT_VALUES) {
    for (const seed of SEEDS) {
      const config = poolConfig({ waitValueUsdPerHour, workerUsdPerHour: taskHourPrice(DEFAULT_COMPARISON.pricing) });
      const options = { ...DEFAULT_COMPARISON, seed, config };
      const run = simulatePolicy(trace, defaultPolicy, options);
      const mine = withCost(summarize(run, options.pricing), waitValueUsdPerHour);
      const sweep = sweepStaticSettings(trace, { ...options, waitValueUsdPerHour });
      const practical = SWEEP_FAMILIES.filter((family) => family !== 'hour-of-week')
        .map((family) => sweep.families[family].best)
        .reduce((best, candidate) => (candidate.result.totalCostUsd < best.result.totalCostUsd ? candidate : best));
      const cells = [
        path.basename(file),
        `${waitValueUsdPerHour}`,
        `${seed}`,
        `${mine.totalCostUsd.toFixed(2)}, ${(100 * mine.warmRatio).toFixed(1)}%, ${mine.idleWorkerHours.toFixed(0)}`,
        `${sweep.best.family}: ${sweep.best.label}, ${sweep.best.result.totalCostUsd.toFixed(2)}`,
        (mine.totalCostUsd / sweep.best.result.totalCostUsd).toFixed(2),
        `${practical.family}: ${practical.label}, ${practical.result.totalCostUsd.toFixed(2)}`,
        (mine.totalCostUsd / practical.result.totalCostUsd).toFixed(2),
      ];
      console.log(`| ${cells.join(' | ')} |`);
    }
  }
}
