/**
 * How few idle worker-hours a trace allows at a warm ratio, for a pool that knew each hour's arrival count in
 * advance (not the arrival times) and sized itself by Erlang B for it: the yardstick for the default policy,
 * whose only knowledge of the rate is the past (docs/pool.md, "How far from the best").
 *
 *   npx ts-node --project bench/tsconfig.json bench/pool/erlang-bound.ts --trace FILE [--warm 0.95] [--cold-start 65]
 *
 * Each hour of each agent holds S workers idle or starting; with Poisson arrivals at that hour's count, a
 * dispatch is warm with probability 1 − B(S, a) (a = count × cold start), and the hour's ready-idle workers
 * number S − a(1 − B). Workers are added one at a time, where the next buys the most warm starts per idle
 * hour, until the warm ratio is reached. Every dispatch's task also idles one cold start, as in the simulator.
 */
import { parseArgs } from 'util';
import { readTrace } from './read-trace';
import { erlangB } from '../../runtime/core/pool/policy/erlang';
import type { TraceDispatch } from '../../runtime/core/pool/simulator/trace';

const HOUR_MS = 3_600_000;

interface Hour {
  readonly arrivals: number;
  /** Offered load: arrivals × cold start, in erlangs. */
  readonly load: number;
  workers: number;
}

const idleWorkers = (hour: Hour, workers: number) => workers - hour.load * (1 - erlangB(workers, hour.load));
const warmStarts = (hour: Hour, workers: number) => hour.arrivals * (1 - erlangB(workers, hour.load));

export interface ErlangBound {
  readonly warmRatio: number;
  readonly idleWorkerHours: number;
}

export function erlangBound(trace: readonly TraceDispatch[], warmRatio: number, coldStartSeconds: number): ErlangBound {
  const hours = new Map<string, Hour>();
  for (const dispatch of trace) {
    const key = `${dispatch.agent}@${Math.floor(dispatch.at / HOUR_MS)}`;
    const hour = hours.get(key) ?? { arrivals: 0, load: 0, workers: 0 };
    hours.set(key, { ...hour, arrivals: hour.arrivals + 1, load: ((hour.arrivals + 1) * coldStartSeconds) / 3600 });
  }
  const all = [...hours.values()];
  const value = (hour: Hour) =>
    (warmStarts(hour, hour.workers + 1) - warmStarts(hour, hour.workers)) / (idleWorkers(hour, hour.workers + 1) - idleWorkers(hour, hour.workers));
  let warm = 0;
  while (warm < warmRatio * trace.length) {
    const best = all.reduce((a, b) => (value(b) > value(a) ? b : a));
    warm += warmStarts(best, best.workers + 1) - warmStarts(best, best.workers);
    best.workers += 1;
  }
  const standingIdle = all.reduce((sum, hour) => sum + idleWorkers(hour, hour.workers), 0);
  return { warmRatio: warm / trace.length, idleWorkerHours: standingIdle + (trace.length * coldStartSeconds) / 3600 };
}

function main(): void {
  const { values } = parseArgs({ options: { 'trace': { type: 'string' }, 'warm': { type: 'string' }, 'cold-start': { type: 'string' } } });
  if (!values.trace) {
    throw new Error('usage: erlang-bound.ts --trace FILE [--warm 0.95] [--cold-start 65]');
  }
  const bound = erlangBound(readTrace(values.trace), Number(values.warm ?? 0.95), Number(values['cold-start'] ?? 65));
  console.log(`${values.trace}: ${(bound.warmRatio * 100).toFixed(1)}% warm with ${bound.idleWorkerHours.toFixed(1)} idle worker-hours at the least`);
}

if (require.main === module) {
  main();
}
