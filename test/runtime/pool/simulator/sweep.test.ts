import { hourOfWeek, hourOfWeekSchedule } from '../../../../runtime/core/pool/simulator/baselines/hour-of-week-schedule';
import { DEFAULT_COMPARISON } from '../../../../runtime/core/pool/simulator/compare';
import { hourOfWeekLevels } from '../../../../runtime/core/pool/simulator/sweep/hour-of-week-levels';
import { SWEEP_FAMILIES, sweepStaticSettings } from '../../../../runtime/core/pool/simulator/sweep/sweep';
import type { TraceDispatch } from '../../../../runtime/core/pool/simulator/trace';

/** A Monday, 10:00 UTC. */
const MONDAY = Date.parse('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;
const OPTIONS = { ...DEFAULT_COMPARISON, coldStart: { kind: 'constant', seconds: 60 } } as const;

/**
 * `busy` every 10 minutes for six hours on Monday; `rare` twice, ten days apart. With 60 s cold starts, one
 * standing worker starts every dispatch of `busy` warm (its replacement is ready long before the next), saving
 * 36 minutes of waiting, $36 at $60 an hour, for about 8 idle hours (under $0.50); a second worker saves
 * nothing. A worker standing for `rare` idles 10 days ($11) to save 2 minutes ($2). So: minIdle 1 for the
 * busiest agent alone, and a schedule that keeps workers only in the hours that saw dispatches beats both.
 */
const TRACE: TraceDispatch[] = [
  ...Array.from({ length: 36 }, (_, index) => ({ at: MONDAY + index * 600_000, agent: 'busy', durationSeconds: 300 })),
  { at: MONDAY + 2 * HOUR + 1_000, agent: 'rare', durationSeconds: 300 },
  { at: MONDAY + 240 * HOUR + 1_000, agent: 'rare', durationSeconds: 300 },
];

describe('--sweep: static settings judged by total cost', () => {
  const sweep = sweepStaticSettings(TRACE, { ...OPTIONS, waitValueUsdPerHour: 60 });

  test('every family is tried and has a best; the overall best is the cheapest of them', () => {
    expect(Object.keys(sweep.families)).toEqual([...SWEEP_FAMILIES]);
    for (const name of SWEEP_FAMILIES) {
      const { best, candidates } = sweep.families[name];
      expect(candidates.length).toBeGreaterThan(0);
      expect(candidates.every((candidate) => candidate.family === name && candidate.result.totalCostUsd >= best.result.totalCostUsd)).toBe(true);
    }
    expect(sweep.best.result.totalCostUsd).toBe(Math.min(...SWEEP_FAMILIES.map((name) => sweep.families[name].best.result.totalCostUsd)));
    // The original rule's floor 0 to 4 times long-idle after 5 or 30 minutes.
    expect(sweep.families['original-rule'].candidates).toHaveLength(10);
  });

  test('the settings reasoned out by hand: fixed 1, minIdle 1 for the busiest agent alone, and a schedule best of all', () => {
    const { fixed, busiest } = sweep.families;
    expect(fixed.best.settings).toEqual({ minIdle: 1 });
    // Fixed sizes grow until two past the best fail to beat it.
    expect(fixed.candidates.map((candidate) => candidate.label)).toEqual(['fixed 0', 'fixed 1', 'fixed 2', 'fixed 3']);
    expect(busiest.best.label).toBe('busiest 1 at 1');
    expect(busiest.best.settings).toEqual({ minIdle: 1, agents: ['busy'] });
    expect(busiest.best.result.totalCostUsd).toBeLessThan(fixed.best.result.totalCostUsd);
    expect(busiest.best.result.warmRatio).toBeCloseTo(36 / 38, 9);
    expect(sweep.best.family).toBe('hour-of-week');
    expect(sweep.best.result.warmRatio).toBe(1);
    // It pays for a few more idle hours than minIdle 1 on `busy` alone (`rare`'s two hours), far fewer than fixed 1's ten days.
    expect(sweep.best.result.totalCostUsd).toBeLessThan(busiest.best.result.totalCostUsd);
    expect(sweep.best.result.idleWorkerHours).toBeLessThan(fixed.best.result.idleWorkerHours / 10);
  });

  test('the same trace and seed give the same sweep; another seed draws other cold starts', () => {
    const sweepAt = (seed: number) => sweepStaticSettings(TRACE, { ...DEFAULT_COMPARISON, seed, waitValueUsdPerHour: 60 });
    expect(sweepAt(3)).toEqual(sweepAt(3));
    const none = (seed: number) => sweepAt(seed).families.fixed.candidates[0].result;
    expect(none(3).waitHours).not.toBe(none(4).waitHours);
  });

  test('when waiting is worth nothing, no pool is best: every worker only adds to the bill', () => {
    const free = sweepStaticSettings(TRACE, { ...OPTIONS, waitValueUsdPerHour: 0 });
    expect(free.families.fixed.best.label).toBe('fixed 0');
    expect(free.best.result.warmRatio).toBe(0);
    expect(free.best.result.totalCostUsd).toBe(free.best.result.fargateUsd);
  });
});

describe('hour-of-week schedules', () => {
  test('hours of week count from Monday 00:00 UTC', () => {
    expect(hourOfWeek(MONDAY)).toBe(10);
    expect(hourOfWeek(MONDAY - 10 * HOUR)).toBe(0);
    expect(hourOfWeek(MONDAY - 11 * HOUR)).toBe(167);
  });

  test('an hour keeps as many workers as pay: one for lone dispatches, two where they come in pairs, none in silence', () => {
    // Four Mondays: at 10:00 one dispatch; at 14:00 two a few seconds apart.
    const mondays = [0, 1, 2, 3].map((week) => MONDAY + week * 168 * HOUR);
    const arrivals = mondays.flatMap((monday) => [monday, monday + 4 * HOUR, monday + 4 * HOUR + 5_000]);
    const rule = { coldStartSeconds: 60, workerHourUsd: 0.05, threshold: 1, maxLevel: 5 };
    const at = (waitValueUsdPerHour: number) => hourOfWeekLevels({ ...rule, arrivals, waitValueUsdPerHour });
    const levels = at(60);
    expect(levels[10]).toBe(1);
    expect(levels[14]).toBe(2);
    expect(levels.filter((level) => level > 0)).toHaveLength(2);
    // At $0.01 an hour of waiting, a minute saved a week (1.7 tenths of a cent) does not pay for an idle hour.
    expect(at(0.01).every((level) => level === 0)).toBe(true);
  });

  test('the schedule starts the next hour\'s level a cold start and a tick ahead, and stops what neither hour keeps', () => {
    const levels = new Array<number>(168).fill(0);
    levels[11] = 2;
    const policy = hourOfWeekSchedule(levels, 60);
    const input = (now: number, idle: number) => ({
      now,
      trigger: 'tick' as const,
      pool: { idle: Array.from({ length: idle }, (_, index) => ({ taskId: `t${index}`, idleSince: now })), starting: 0, waiting: 0 },
      demand: { arrivals: [], coldStartSeconds: [60] },
      config: DEFAULT_COMPARISON.config,
      memory: {},
    });
    expect(policy.decide(input(MONDAY + 57 * 60_000, 0)).start).toBe(0);
    expect(policy.decide(input(MONDAY + 58 * 60_000, 0)).start).toBe(2);
    expect(policy.decide(input(MONDAY + 2 * HOUR, 2))).toMatchObject({ start: 0, stop: ['t0', 't1'], target: 0 });
    expect(() => hourOfWeekSchedule([1, 2])).toThrow('168 whole numbers');
  });
});
