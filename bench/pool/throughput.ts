/**
 * The simulator's speed and memory on a long trace (bench/pool/RESULTS-SCALE.md):
 *
 *   TS_NODE_PROJECT=bench/tsconfig.json node --expose-gc -r ts-node/register/transpile-only bench/pool/throughput.ts \
 *     --trace FILE [--seed N] [--policy NAME]…
 *
 * For each policy of `npm run simulate` in turn, the trace is read from the file as it goes and replayed;
 * prints the arrivals replayed a second (the file's reading and parsing included), the heap left after the
 * run (a full collection first, with --expose-gc) and, at the end, the process's peak resident memory (some
 * 150 MB of which is ts-node and the TypeScript compiler). Run one trace per process, so the peak is that trace's.
 */
import { parseArgs } from 'util';
import { openTrace } from './read-trace';
import { comparedPolicies, DEFAULT_COMPARISON, type PolicyName } from '../../runtime/core/pool/simulator/compare';
import { summarizeOracle, summarizePolicy } from '../../runtime/core/pool/simulator/stream-compare';
import type { PolicySummary } from '../../runtime/core/pool/simulator/summary';

export interface Throughput {
  readonly policy: PolicyName;
  readonly dispatches: number;
  readonly seconds: number;
  readonly arrivalsPerSecond: number;
  /** The heap after the run and a full collection (with node --expose-gc; otherwise without it). */
  readonly heapMb: number;
  readonly summary: PolicySummary;
}

/** Every policy's replay of `file`, timed. */
export function measureThroughput(file: string, seed: number, only: readonly string[] = []): Throughput[] {
  const options = { ...DEFAULT_COMPARISON, seed };
  const trace = openTrace(file);
  type Replay = [PolicyName, () => PolicySummary];
  const runs: Replay[] = [
    ...comparedPolicies(options).map(([name, policy]): Replay => [name, () => summarizePolicy(trace, policy, options, options.pricing)]),
    ['oracle', () => summarizeOracle(trace, options, options.pricing)],
  ];
  return runs.filter(([policy]) => only.length === 0 || only.includes(policy)).map(([policy, run]) => {
    const started = process.hrtime.bigint();
    const summary = run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    (global as { gc?: () => void }).gc?.();
    const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
    return { policy, dispatches: summary.dispatches, seconds, arrivalsPerSecond: summary.dispatches / seconds, heapMb, summary };
  });
}

function main(): void {
  const { values } = parseArgs({ options: { trace: { type: 'string' }, seed: { type: 'string' }, policy: { type: 'string', multiple: true } } });
  if (!values.trace) {
    throw new Error('usage: throughput.ts --trace FILE [--seed N]');
  }
  console.log(`${values.trace}`);
  console.log('| policy | dispatches | seconds | arrivals/s | heap after (MB) | warm | p95 wait (s) | idle worker-h |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const results = measureThroughput(values.trace, Number(values.seed ?? 1), values.policy);
  for (const { policy, dispatches, seconds, arrivalsPerSecond, heapMb, summary } of results) {
    const cells = [policy, String(dispatches), seconds.toFixed(1), Math.round(arrivalsPerSecond).toLocaleString('en-US'), heapMb.toFixed(1),
      `${(100 * summary.warmRatio).toFixed(1)}%`, summary.waitP95Seconds.toFixed(1), Math.round(summary.idleWorkerHours).toLocaleString('en-US')];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

if (require.main === module) {
  main();
}
