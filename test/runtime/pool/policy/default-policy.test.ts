import * as fc from 'fast-check';
import { applied, evenArrivals, idleWorkers, input, MINUTE, NOW } from './inputs';
import { defaultPolicy } from '../../../../runtime/core/pool/policy/default-policy';
import type { PolicyInput } from '../../../../runtime/core/pool/policy/policy';

describe('default policy: sizing by the value of a saved wait', () => {
  test('no demand and no configured floor: no pool', () => {
    expect(defaultPolicy.decide(input({}))).toMatchObject({ start: 0, stop: [], target: 0 });
  });

  test('30 dispatches an hour, 65 s cold starts: a worker is held while its warm starts are worth its idle hour', () => {
    // Poisson at 30 an hour (Erlang's loss at 0.54 erlangs): the 1st to 6th workers add 19.5, 7.9, 2.1, 0.40,
    // 0.056 and 0.006 warm starts an hour. A warm start saves 65 s: at $60 an hour that is $1.08, so a worker
    // at $0.047 an hour pays from 0.043 warm starts an hour: five do.
    expect(defaultPolicy.decide(input({ arrivals: evenArrivals(30) }))).toMatchObject({ start: 5, target: 5 });
    // At $0.50 an hour a warm start is worth $0.009: a worker pays from 5.2 warm starts an hour: two do.
    expect(defaultPolicy.decide(input({ arrivals: evenArrivals(30), config: { waitValueUsdPerHour: 0.5 } })).target).toBe(2);
    // A dearer worker ($0.10 an hour: x86_64 with 8 GB, say) pays from 11 warm starts an hour: one does.
    expect(defaultPolicy.decide(input({ arrivals: evenArrivals(30), config: { waitValueUsdPerHour: 0.5, workerUsdPerHour: 0.1 } })).target).toBe(1);
    const partlyFilled = input({ arrivals: evenArrivals(30), pool: { idle: idleWorkers(3), starting: 1 } });
    expect(defaultPolicy.decide(partlyFilled)).toMatchObject({ start: 1, target: 5 });
  });

  test('waits worth nothing hold no worker, unless targetWarmRatio sets a floor (Erlang B for 95% warm: 3)', () => {
    expect(defaultPolicy.decide(input({ arrivals: evenArrivals(30, 120), config: { waitValueUsdPerHour: 0 } })).target).toBe(0);
    const floored = { waitValueUsdPerHour: 0, targetWarmRatio: 0.95 };
    expect(defaultPolicy.decide(input({ arrivals: evenArrivals(30, 120), config: floored })).target).toBe(3);
  });

  test('the measured cold start is the wait saved and the time a claimed worker takes to come back', () => {
    const arrivals = evenArrivals(60);
    const cheap = { waitValueUsdPerHour: 1 };
    expect(defaultPolicy.decide(input({ arrivals, coldStartSeconds: [30, 30], config: cheap })).target).toBeLessThan(
      defaultPolicy.decide(input({ arrivals, coldStartSeconds: [180, 180], config: cheap })).target);
    expect(defaultPolicy.decide(input({ arrivals, coldStartSeconds: [], config: { ...cheap, assumedColdStartSeconds: 180 } })).target).toBe(
      defaultPolicy.decide(input({ arrivals, coldStartSeconds: [180], config: cheap })).target);
  });

  test('minIdle and schedules are floors; maxWorkers caps everything', () => {
    expect(defaultPolicy.decide(input({ config: { minIdle: 2 } })).start).toBe(2);
    const schedules = [{ cron: '* 9-17 * * MON-FRI', timeZone: 'UTC', minIdle: 4 }];
    expect(defaultPolicy.decide(input({ config: { schedules } })).start).toBe(4);
    expect(defaultPolicy.decide(input({ config: { schedules }, now: NOW + 8 * 60 * MINUTE })).start).toBe(0);
    expect(defaultPolicy.decide(input({ arrivals: evenArrivals(600), config: { maxWorkers: 5 } })).target).toBe(5);
  });
});

describe('default policy: reacting', () => {
  test('a claimed worker is replaced by the claim\'s own evaluation, between two of the scaler\'s minutes', () => {
    const before = input({ arrivals: evenArrivals(30), pool: { idle: idleWorkers(5) } });
    expect(defaultPolicy.decide(before).start).toBe(0);
    const claimed = { ...before, now: NOW + 17_000, trigger: 'claimed' as const, pool: { ...before.pool, idle: before.pool.idle.slice(1) } };
    expect(defaultPolicy.decide(claimed).start).toBe(1);
  });

  test('a burst is answered on the event that shows it: as many workers as dispatches within the last cold start', () => {
    const quiet = input({ arrivals: [] });
    expect(defaultPolicy.decide(quiet).start).toBe(0);
    // Ten dispatches in the last two minutes, six of them within the last 65 s cold start.
    const burst = Array.from({ length: 10 }, (_, index) => NOW - 120_000 + (index + 1) * 12_000);
    const missed = { ...quiet, trigger: 'missed' as const, demand: { ...quiet.demand, arrivals: burst } };
    expect(defaultPolicy.decide(missed).start).toBeGreaterThanOrEqual(6);
  });

  test('workers beyond the target stop only after idleTimeout, longest idle first', () => {
    const pool = { idle: [...idleWorkers(2, 20), { taskId: 'fresh', idleSince: NOW - MINUTE }] };
    expect(defaultPolicy.decide(input({ pool })).stop).toEqual(['w1', 'w2']);
    expect(defaultPolicy.decide(input({ pool, config: { idleTimeoutSeconds: 30 * 60 } })).stop).toEqual([]);
    expect(defaultPolicy.decide(input({ pool, config: { minIdle: 2 } })).stop).toEqual(['w1']);
  });

  test('workers beyond maxWorkers stop at once, however briefly idle', () => {
    const pool = { idle: idleWorkers(5, 5), starting: 2 };
    expect(defaultPolicy.decide(input({ pool, config: { maxWorkers: 4, minIdle: 4 } })).stop).toEqual(['w1', 'w2', 'w3']);
  });
});

describe('default policy: properties', () => {
  const TIMES = fc.array(fc.integer({ min: 0, max: 26 * 3600 }), { maxLength: 300 });
  const scenario = fc.record({
    arrivalAges: TIMES,
    idleMinutes: fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 25 }),
    starting: fc.integer({ min: 0, max: 25 }),
    coldStarts: fc.array(fc.double({ min: 20, max: 300, noNaN: true }), { maxLength: 5 }),
    maxWorkers: fc.integer({ min: 1, max: 30 }),
    minIdleShare: fc.double({ min: 0, max: 1, noNaN: true }),
    targetWarmRatio: fc.double({ min: 0.5, max: 0.999, noNaN: true }),
    idleTimeoutMinutes: fc.integer({ min: 1, max: 60 }),
  }).map((s): PolicyInput => input({
    arrivals: s.arrivalAges.map((age) => NOW - age * 1000).sort((a, b) => a - b),
    pool: { idle: s.idleMinutes.map((minutes, index) => ({ taskId: `w${index}`, idleSince: NOW - minutes * MINUTE })), starting: s.starting },
    coldStartSeconds: s.coldStarts,
    config: {
      maxWorkers: s.maxWorkers,
      minIdle: Math.floor(s.minIdleShare * s.maxWorkers),
      targetWarmRatio: s.targetWarmRatio,
      idleTimeoutSeconds: s.idleTimeoutMinutes * 60,
    },
  }));
  const held = (state: PolicyInput) => state.pool.idle.length + state.pool.starting;

  test('never starts beyond maxWorkers, and never stops below the floor except to come down to maxWorkers', () => {
    fc.assert(fc.property(scenario, (state) => {
      const decision = defaultPolicy.decide(state);
      const after = held(applied(state, decision));
      const { maxWorkers, minIdle } = state.config;
      return decision.target <= maxWorkers && decision.target >= minIdle
        && (decision.start === 0 || after <= maxWorkers)
        && (decision.stop.length === 0 || after >= Math.min(decision.target, maxWorkers));
    }), { numRuns: 2000 });
  });

  test('only idle workers stop, each once, and only past idleTimeout unless over maxWorkers', () => {
    fc.assert(fc.property(scenario, (state) => {
      const { stop } = defaultPolicy.decide(state);
      const idle = new Map(state.pool.idle.map((worker) => [worker.taskId, worker.idleSince]));
      const overCap = held(state) > state.config.maxWorkers;
      return new Set(stop).size === stop.length
        && stop.every((taskId) => idle.has(taskId) && (overCap || NOW - idle.get(taskId)! >= state.config.idleTimeoutSeconds * 1000));
    }), { numRuns: 2000 });
  });

  test('no flapping: it never starts and stops at once, and once carried out its decision asks for nothing more', () => {
    fc.assert(fc.property(scenario, (state) => {
      const decision = defaultPolicy.decide(state);
      const again = defaultPolicy.decide(applied(state, decision));
      return (decision.start === 0 || decision.stop.length === 0) && again.start === 0 && again.stop.length === 0;
    }), { numRuns: 2000 });
  });

  test('the trigger does not change the decision: the scaler\'s minute and any event agree', () => {
    fc.assert(fc.property(scenario, fc.constantFrom('claimed', 'missed', 'idle', 'stopped' as const), (state, trigger) => {
      expect(defaultPolicy.decide({ ...state, trigger })).toEqual(defaultPolicy.decide(state));
    }), { numRuns: 300 });
  });
});
