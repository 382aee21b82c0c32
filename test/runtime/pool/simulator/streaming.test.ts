import * as fc from 'fast-check';
import { workdayTrace, WORKDAY_DEFAULTS } from '../../../../bench/pool/generators/workday';
import { defaultPolicy } from '../../../../runtime/core/pool/policy/default-policy';
import { arrivalsAfter } from '../../../../runtime/core/pool/policy/demand';
import type { PoolPolicy } from '../../../../runtime/core/pool/policy/policy';
import { ArrivalWindow } from '../../../../runtime/core/pool/simulator/arrival-window';
import { fixedPool } from '../../../../runtime/core/pool/simulator/baselines/fixed-pool';
import { comparePolicies, DEFAULT_COMPARISON } from '../../../../runtime/core/pool/simulator/compare';
import { FAILED_START_WAIT_SECONDS } from '../../../../runtime/core/pool/simulator/cost';
import { EventQueue } from '../../../../runtime/core/pool/simulator/event-queue';
import { simulateOracle } from '../../../../runtime/core/pool/simulator/oracle';
import { DEFAULT_SIMULATION } from '../../../../runtime/core/pool/simulator/run';
import { simulatePolicy, streamPolicy } from '../../../../runtime/core/pool/simulator/simulator';
import { compareStreamed, summarizeOracle, summarizePolicy } from '../../../../runtime/core/pool/simulator/stream-compare';
import { percentile, RunTotals } from '../../../../runtime/core/pool/simulator/summary';
import { traceSource, type TraceDispatch } from '../../../../runtime/core/pool/simulator/trace';
import { WAIT_PERCENTILE_RELATIVE_ERROR, WaitHistogram } from '../../../../runtime/core/pool/simulator/wait-histogram';

const ONE_DAY = workdayTrace({ ...WORKDAY_DEFAULTS, seed: 7, days: 1 });
const T = Date.parse('2026-03-02T10:00:00Z');

describe('WaitHistogram', () => {
  test('a percentile is within 0.1% of the sorted waits\' nearest rank', () => {
    const waits = fc.array(fc.oneof(fc.constant(0.5), fc.double({ min: 0, max: 5000, noNaN: true })), { minLength: 1, maxLength: 400 });
    fc.assert(fc.property(waits, fc.double({ min: 0, max: 1, noNaN: true }), (values, fraction) => {
      const histogram = new WaitHistogram();
      values.forEach((value) => histogram.add(value));
      const exact = percentile([...values].sort((a, b) => a - b), fraction);
      return Math.abs(histogram.percentile(fraction) - exact) <= WAIT_PERCENTILE_RELATIVE_ERROR * exact + 1e-3;
    }));
  });

  test('exact where a bucket holds one value (the warm hand-off); 0 with no waits', () => {
    const histogram = new WaitHistogram();
    expect(histogram.percentile(0.5)).toBe(0);
    [0.5, 0.5, 0.5, 61.25, 70].forEach((wait) => histogram.add(wait));
    expect([histogram.percentile(0.5), histogram.percentile(0.8), histogram.percentile(0.99)]).toEqual([0.5, 61.25, 70]);
  });
});

describe('EventQueue', () => {
  test('pops by time, and in insertion order at the same time', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
      const queue = new EventQueue<number>();
      times.forEach((at, index) => queue.push(at, index));
      const popped: number[] = [];
      for (let next = queue.pop(); next; next = queue.pop()) {
        popped.push(next.event);
      }
      const expected = times.map((at, index) => ({ at, index })).sort((a, b) => a.at - b.at || a.index - b.index).map(({ index }) => index);
      return JSON.stringify(popped) === JSON.stringify(expected) && queue.peekAt() === Infinity;
    }));
  });
});

describe('ArrivalWindow', () => {
  test('keeps every arrival of the lookback, trims the rest in place, and holds at most an eighth more (and 64) besides', () => {
    const window = new ArrivalWindow();
    const times = window.times;
    const lookback = 1000;
    for (let at = 0; at < 100_000; at += 7) {
      window.add(at);
      window.trim(at - lookback);
      const inLookback = arrivalsAfter(window.times, at - lookback);
      expect(inLookback).toBe(Math.min(at / 7 + 1, Math.floor(lookback / 7) + 1));
      expect(window.times.length - inLookback).toBeLessThanOrEqual(65 + inLookback / 8);
    }
    expect(window.times).toBe(times);
  });
});

describe('the simulator as a stream', () => {
  test('the policy is handed each agent\'s arrival list itself, never a copy, covering its lookback', () => {
    const lists = new Set<readonly number[]>();
    let covered = true;
    const spy: PoolPolicy = {
      name: 'spy',
      lookbackSeconds: 3600,
      decide(input) {
        lists.add(input.demand.arrivals);
        const expected = ONE_DAY.filter((dispatch) => dispatch.at <= input.now && dispatch.at > input.now - 3_600_000).length;
        covered &&= arrivalsAfter(input.demand.arrivals, input.now - 3_600_000) === expected;
        return fixedPool(1).decide(input);
      },
    };
    simulatePolicy(ONE_DAY, spy, DEFAULT_SIMULATION);
    expect(lists.size).toBe(1);
    expect(covered).toBe(true);
  });

  test('streamed totals are the recorded run\'s: same counts, same sums', () => {
    const options = { ...DEFAULT_COMPARISON, seed: 2 };
    const recorded = comparePolicies(ONE_DAY, options).policies;
    const streamed = compareStreamed(() => traceSource(ONE_DAY), options);
    expect(Object.keys(streamed)).toEqual(Object.keys(recorded));
    for (const name of Object.keys(recorded) as Array<keyof typeof recorded>) {
      expect(streamed[name]).toEqual(recorded[name]);
    }
    expect(summarizePolicy(traceSource(ONE_DAY), defaultPolicy, options, options.pricing)).toEqual(recorded.default);
    expect(summarizeOracle(traceSource(ONE_DAY), options, options.pricing)).toEqual(recorded.oracle);
  });

  test('waitHours is every wait added up, a failed start as FAILED_START_WAIT_SECONDS', () => {
    const run = simulatePolicy(ONE_DAY, fixedPool(2), DEFAULT_SIMULATION);
    const totals = new RunTotals();
    streamPolicy(traceSource(ONE_DAY), fixedPool(2), DEFAULT_SIMULATION, totals);
    const waits = run.dispatches.reduce((sum, dispatch) => sum + (dispatch.waitSeconds ?? FAILED_START_WAIT_SECONDS), 0);
    expect(totals.summary(DEFAULT_COMPARISON.pricing).waitHours).toBeCloseTo(waits / 3600, 9);
  });

  test('a source out of time order is refused, saying to sort it', () => {
    const unsorted = [{ at: T + 60_000, agent: 'claude', durationSeconds: 60 }, { at: T, agent: 'claude', durationSeconds: 60 }];
    const source = { agents: ['claude'], [Symbol.iterator]: () => unsorted[Symbol.iterator]() };
    expect(() => streamPolicy(source, fixedPool(1), DEFAULT_SIMULATION, new RunTotals())).toThrow('dispatch 2 (2026-03-02T10:00:00.000Z) comes before the one ahead of it; sort it by time');
    expect(() => summarizeOracle(source, DEFAULT_SIMULATION, DEFAULT_COMPARISON.pricing)).toThrow('sort it by time');
  });

  test('the source is read one dispatch ahead: no more than that is pulled before its time', () => {
    let pulled = 0;
    let latest = -Infinity;
    let ahead = 0;
    function* counted(): Generator<TraceDispatch> {
      for (const dispatch of ONE_DAY) {
        pulled++;
        yield dispatch;
      }
    }
    const spy: PoolPolicy = {
      name: 'spy',
      lookbackSeconds: 0,
      decide(input) {
        latest = Math.max(latest, input.now);
        ahead = Math.max(ahead, pulled - ONE_DAY.filter((dispatch) => dispatch.at <= latest).length);
        return fixedPool(1).decide(input);
      },
    };
    streamPolicy({ agents: ['claude'], [Symbol.iterator]: counted }, spy, DEFAULT_SIMULATION, new RunTotals());
    expect(pulled).toBe(ONE_DAY.length);
    expect(ahead).toBe(1);
  });

  test('the oracle with cold starts of up to 200 s: each worker launched in time for its dispatch, none before it could be needed', () => {
    const options = { ...DEFAULT_SIMULATION, coldStart: { kind: 'empirical' as const, samples: [30, 45, 200] } };
    const run = simulateOracle(ONE_DAY, options);
    expect(run.dispatches).toHaveLength(ONE_DAY.length);
    expect(run.dispatches.every((dispatch) => dispatch.warm)).toBe(true);
    expect(run.tasks.every((task) => task.launchedAt >= ONE_DAY[0].at - 200_000)).toBe(true);
  });
});
