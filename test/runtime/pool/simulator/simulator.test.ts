import { workdayTrace, WORKDAY_DEFAULTS } from '../../../../bench/pool/generators/workday';
import type { PolicyTrigger, PoolPolicy } from '../../../../runtime/core/pool/policy/policy';
import { fixedPool } from '../../../../runtime/core/pool/simulator/baselines/fixed-pool';
import { comparePolicies, DEFAULT_COMPARISON, POLICY_NAMES } from '../../../../runtime/core/pool/simulator/compare';
import { simulateOracle } from '../../../../runtime/core/pool/simulator/oracle';
import { DEFAULT_SIMULATION, type SimulationOptions } from '../../../../runtime/core/pool/simulator/run';
import { simulatePolicy } from '../../../../runtime/core/pool/simulator/simulator';
import type { TraceDispatch } from '../../../../runtime/core/pool/simulator/trace';

const T = Date.parse('2026-03-02T10:00:00Z');
const CONSTANT: SimulationOptions = { ...DEFAULT_SIMULATION, coldStart: { kind: 'constant', seconds: 60 } };
const at = (seconds: number, durationSeconds = 300, agent = 'claude'): TraceDispatch => ({ at: T + seconds * 1000, agent, durationSeconds });

/** One day of ten engineers' dispatches: small enough for every test to replay it. */
const ONE_DAY = workdayTrace({ ...WORKDAY_DEFAULTS, seed: 7, days: 1 });

describe('simulatePolicy', () => {
  test('a dispatch that finds no idle worker waits for its own cold start, even when a pool worker is ready first', () => {
    const run = simulatePolicy([at(0), at(1)], fixedPool(1), CONSTANT);
    expect(run.dispatches).toEqual([
      { at: T, warm: true, waitSeconds: 0.5, durationSeconds: 300 },
      // The first claim's replacement is idle at 60 s; the second dispatch's own task is ready at 61 s.
      { at: T + 1000, warm: false, waitSeconds: 60.5, durationSeconds: 300 },
    ]);
    // The pool's first worker, its replacement (idle until the end) and the cold task.
    expect(run.tasks).toHaveLength(3);
  });

  test('the policy runs on the minute and on every event, at the event\'s time', () => {
    const calls: Array<[PolicyTrigger, number]> = [];
    const spy: PoolPolicy = {
      name: 'spy',
      lookbackSeconds: 0,
      decide(input) {
        calls.push([input.trigger, (input.now - T) / 1000]);
        return fixedPool(1).decide(input);
      },
    };
    simulatePolicy([at(30.5, 100), at(31, 100)], spy, CONSTANT);
    const events = calls.filter(([trigger]) => trigger !== 'tick');
    expect(events).toEqual([
      ['idle', -3540],
      ['claimed', 30.5],
      ['missed', 31],
      ['idle', 90.5],
      ['stopped', 131],
      ['stopped', 191.5],
    ]);
    const ticks = calls.filter(([trigger]) => trigger === 'tick').map(([, second]) => second);
    expect(ticks[0]).toBe(-3600);
    expect(ticks.every((second, index) => index === 0 || second - ticks[index - 1] === 60)).toBe(true);
  });

  test('a worker runs one dispatch, then its task stops: single use', () => {
    const run = simulatePolicy(ONE_DAY, fixedPool(2), DEFAULT_SIMULATION);
    const busyTasks = run.tasks.filter((task) => task.busySeconds > 0);
    expect(busyTasks).toHaveLength(ONE_DAY.length);
    expect(busyTasks.map((task) => task.busySeconds).sort((a, b) => a - b)).toEqual(ONE_DAY.map((d) => d.durationSeconds).sort((a, b) => a - b));
  });

  test('a burst beyond RunTask\'s limits: no second over 20 calls, the bucket never below zero, and starts that run out of tries fail', () => {
    const burst = Array.from({ length: 300 }, (_, index) => at(index / 1000));
    const run = simulatePolicy(burst, fixedPool(0, 'none'), CONSTANT);
    const perSecond = new Map<number, number>();
    for (const call of run.calls.filter((record) => record.accepted)) {
      perSecond.set(Math.floor(call.at / 1000), (perSecond.get(Math.floor(call.at / 1000)) ?? 0) + 1);
    }
    expect(Math.max(...perSecond.values())).toBe(20);
    expect(Math.min(...run.calls.map((call) => call.tokens))).toBeGreaterThanOrEqual(0);
    const failed = run.dispatches.filter((dispatch) => dispatch.waitSeconds === undefined);
    expect(failed.length).toBeGreaterThan(0);
    expect(run.tasks.length + failed.length).toBe(300);
    // Throttled starts that got through waited for their backoff on top of the cold start.
    expect(Math.max(...run.dispatches.map((dispatch) => dispatch.waitSeconds ?? 0))).toBeGreaterThan(61);
  });

  test('a policy that stops a worker that is not idle is a bug the simulator reports', () => {
    const wrong: PoolPolicy = { name: 'wrong', lookbackSeconds: 0, decide: () => ({ start: 0, stop: ['task-99'], target: 0, memory: {} }) };
    expect(() => simulatePolicy([at(0)], wrong, CONSTANT)).toThrow('wrong asked to stop task-99, which is not an idle worker of claude');
  });
});

describe('simulateOracle', () => {
  test('every worker is healthy as its dispatch arrives: its only non-busy time is the cold start and the hand-off', () => {
    const run = simulateOracle([at(0), at(0.5), at(7200)], CONSTANT);
    expect(run.dispatches.every((dispatch) => dispatch.warm && dispatch.waitSeconds === 0.5)).toBe(true);
    expect(run.tasks.map((task) => (task.stoppedAt - task.launchedAt) / 1000 - task.busySeconds)).toEqual([60.5, 60.5, 60.5]);
  });
});

describe('comparePolicies', () => {
  test('the same seed gives the same numbers; another seed other numbers', () => {
    const first = comparePolicies(ONE_DAY, { ...DEFAULT_COMPARISON, seed: 3 });
    expect(comparePolicies(ONE_DAY, { ...DEFAULT_COMPARISON, seed: 3 })).toEqual(first);
    const other = comparePolicies(ONE_DAY, { ...DEFAULT_COMPARISON, seed: 4 });
    expect(other.policies.default.idleWorkerHours).not.toBe(first.policies.default.idleWorkerHours);
  });

  test('the oracle is a lower bound: the most warm starts for the fewest idle hours', () => {
    for (const coldStart of [DEFAULT_SIMULATION.coldStart, CONSTANT.coldStart]) {
      const { policies } = comparePolicies(ONE_DAY, { ...DEFAULT_COMPARISON, coldStart, fixedSize: 12 });
      expect(policies.oracle.warmRatio).toBe(1);
      for (const name of POLICY_NAMES) {
        expect(policies[name].warmRatio).toBeLessThanOrEqual(policies.oracle.warmRatio);
        expect(policies[name].idleWorkerHours).toBeGreaterThanOrEqual(policies.oracle.idleWorkerHours);
      }
      // A pool big enough to start nearly everything warm pays far more idle hours for it.
      expect(policies.fixed.warmRatio).toBeGreaterThan(0.99);
      expect(policies.fixed.idleWorkerHours).toBeGreaterThan(5 * policies.oracle.idleWorkerHours);
    }
  });
});

describe('simulatePolicy on a trace out of order', () => {
  test('gives the same outcomes, each in its trace position, as the same trace in order', () => {
    const ordered = [at(0), at(30), at(95), at(4000)];
    const shuffled = [ordered[2], ordered[0], ordered[3], ordered[1]];
    const byTime = (run: ReturnType<typeof simulatePolicy>) => [...run.dispatches].sort((a, b) => a.at - b.at);
    expect(byTime(simulatePolicy(shuffled, fixedPool(1), CONSTANT))).toEqual(byTime(simulatePolicy(ordered, fixedPool(1), CONSTANT)));
    expect(simulatePolicy(shuffled, fixedPool(1), CONSTANT).dispatches[2].at).toBe(T + 4000 * 1000);
  });
});
