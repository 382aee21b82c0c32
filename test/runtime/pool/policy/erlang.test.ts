import * as fc from 'fast-check';
import { burstDemandFloor, poissonQuantile } from '../../../../runtime/core/pool/policy/burst-floor';
import { erlangB, serversForBlocking } from '../../../../runtime/core/pool/policy/erlang';
import { steadyDemandFloor } from '../../../../runtime/core/pool/policy/steady-floor';

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

describe('burstDemandFloor', () => {
  const NOW = Date.parse('2026-03-03T12:00:00Z');
  const RULE = { quantile: 0.975, recentSeconds: 6 * 3600, yesterdaySeconds: 3600, minArrivals: 10 };
  const minutes = (count: number) => count * 60_000;

  /** `size` dispatches within a minute, starting `minutesAgo` before NOW. */
  const cluster = (minutesAgo: number, size: number) => Array.from({ length: size }, (_, index) => NOW - minutes(minutesAgo) + index * 2000);

  test('clusters of 12 within a minute: the pool should hold about 12', () => {
    const arrivals = [...cluster(300, 12), ...cluster(200, 12), ...cluster(100, 12)];
    expect(burstDemandFloor(arrivals, NOW, 65, RULE)).toBe(12);
  });

  test('yesterday\'s cluster at this time counts; one from yesterday morning does not', () => {
    const yesterdayNow = cluster(24 * 60 - 30, 15);
    expect(burstDemandFloor(yesterdayNow, NOW, 65, RULE)).toBe(15);
    const yesterdayMorning = cluster(24 * 60 + 180, 15);
    expect(burstDemandFloor(yesterdayMorning, NOW, 65, RULE)).toBe(0);
  });

  test('evenly spread demand is not a burst, and too few arrivals say nothing', () => {
    const steady = Array.from({ length: 180 }, (_, index) => NOW - minutes(360 - 2 * index));
    expect(burstDemandFloor(steady, NOW, 65, RULE)).toBe(0);
    expect(burstDemandFloor(cluster(30, 9), NOW, 65, RULE)).toBe(0);
  });

  test('Poisson quantiles', () => {
    expect(poissonQuantile(0, 0.99)).toBe(0);
    expect(poissonQuantile(1, 0.5)).toBe(1);
    expect(poissonQuantile(1, 0.95)).toBe(3);
  });
});
