import { erlangBound } from '../../../bench/pool/erlang-bound';
import { erlangB } from '../../../runtime/core/pool/policy/erlang';

describe('erlangBound', () => {
  const HOUR = 3_600_000;
  /** 30 dispatches in each of two hours: a load of 0.54 erlangs each with 65 s cold starts. */
  const LOAD = (30 * 65) / 3600;
  const trace = [0, 1].flatMap((hour) => Array.from({ length: 30 }, (_, index) => ({ at: hour * HOUR + index * 120_000, agent: 'claude', durationSeconds: 300 })));
  const idle = (workers: number) => workers - LOAD * (1 - erlangB(workers, LOAD));

  test('adds workers where they buy the most warm starts, until the warm ratio is reached', () => {
    // Two workers an hour start 1 − B(2, 0.54) = 91.3% warm: enough for 90%, not for 95%.
    expect(erlangBound(trace, 0.9, 65).warmRatio).toBeCloseTo(1 - erlangB(2, LOAD), 12);
    expect(erlangBound(trace, 0.9, 65).idleWorkerHours).toBeCloseTo(2 * idle(2) + (60 * 65) / 3600, 9);
    // Three in one hour and two in the other average 94.9%: 95% takes three in both.
    expect((2 - erlangB(2, LOAD) - erlangB(3, LOAD)) / 2).toBeLessThan(0.95);
    const strict = erlangBound(trace, 0.95, 65);
    expect(strict.warmRatio).toBeCloseTo(1 - erlangB(3, LOAD), 12);
    expect(strict.idleWorkerHours).toBeCloseTo(2 * idle(3) + (60 * 65) / 3600, 9);
  });
});
