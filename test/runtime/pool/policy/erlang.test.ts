import * as fc from 'fast-check';
import { erlangB, serversForBlocking } from '../../../../runtime/core/pool/policy/erlang';
import { steadyDemandFloor } from '../../../../runtime/core/pool/policy/steady-floor';
import { poissonGains } from '../../../../runtime/core/pool/policy/worker-value';

describe('Erlang B', () => {
  test('matches the closed form a^S/S! / Σ a^k/k!', () => {
    const closedForm = (servers: number, load: number) => {
      let term = 1;
      let sum = 1;
      for (let k = 1; k <= servers; k++) {
        term *= load / k;
        sum += term;
      }
      return term / sum;
    };
    for (const [servers, load] of [[0, 1], [1, 1], [2, 1], [3, 2], [5, 0.5], [10, 7]]) {
      expect(erlangB(servers, load)).toBeCloseTo(closedForm(servers, load), 12);
    }
    expect(erlangB(1, 1)).toBe(0.5);
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 12);
  });

  test('the fewest servers for a blocking target, never above the cap, none for no load', () => {
    expect(serversForBlocking(0.54, 0.05, 20)).toBe(3);
    expect(serversForBlocking(0, 0.05, 20)).toBe(0);
    expect(serversForBlocking(50, 0.01, 20)).toBe(20);
    fc.assert(fc.property(fc.double({ min: 0.001, max: 30, noNaN: true }), fc.double({ min: 0.001, max: 0.5, noNaN: true }), (load, blocking) => {
      const servers = serversForBlocking(load, blocking, 1000);
      return erlangB(servers, load) <= blocking && (servers === 0 || erlangB(servers - 1, load) > blocking);
    }));
  });
});

describe('steadyDemandFloor', () => {
  const COLD_START = 65;
  const perHour = (count: number) => count / 3600;

  test('30 dispatches an hour with 65 s cold starts: 3 workers for 95% (2 would start 91.7% warm)', () => {
    expect(steadyDemandFloor(perHour(30), COLD_START, { targetWarmRatio: 0.95, maxIdleHoursPerWarmStart: 2, cap: 20 })).toBe(3);
    expect(1 - erlangB(2, perHour(30) * COLD_START)).toBeLessThan(0.95);
  });

  test('a second worker for thin demand is dropped when it would buy too few warm starts', () => {
    // 3 an hour: B(1) is just over 5%, so the target asks for 2, but the second adds 0.15 warm starts an hour.
    expect(serversForBlocking(perHour(3) * COLD_START, 0.05, 20)).toBe(2);
    expect(steadyDemandFloor(perHour(3), COLD_START, { targetWarmRatio: 0.95, maxIdleHoursPerWarmStart: 2, cap: 20 })).toBe(1);
    expect(steadyDemandFloor(perHour(3), COLD_START, { targetWarmRatio: 0.95, maxIdleHoursPerWarmStart: 10, cap: 20 })).toBe(2);
  });

  test('no demand, no floor; never above the cap', () => {
    expect(steadyDemandFloor(0, COLD_START, { targetWarmRatio: 0.95, maxIdleHoursPerWarmStart: 2, cap: 20 })).toBe(0);
    expect(steadyDemandFloor(perHour(3000), COLD_START, { targetWarmRatio: 0.95, maxIdleHoursPerWarmStart: 2, cap: 5 })).toBe(5);
  });
});

describe('poissonGains', () => {
  const COLD_START = 65;
  test('the k-th worker adds λ·(B(k−1) − B(k)) warm starts an hour; together, all that Erlang\'s loss leaves', () => {
    const load = (30 / 3600) * COLD_START;
    const gains = poissonGains(30, COLD_START, 10);
    expect(gains[0]).toBeCloseTo(30 * (1 - erlangB(1, load)), 9);
    expect(gains[2]).toBeCloseTo(30 * (erlangB(2, load) - erlangB(3, load)), 9);
    expect(gains.reduce((sum, gain) => sum + gain, 0)).toBeCloseTo(30 * (1 - erlangB(gains.length, load)), 9);
    expect(poissonGains(0, COLD_START, 10)).toEqual([]);
    expect(poissonGains(3000, COLD_START, 5)).toHaveLength(5);
  });
});
