import { MINUTE } from './inputs';
import { poolConfig } from '../../../../runtime/core/pool/policy/config';
import { defaultPolicy } from '../../../../runtime/core/pool/policy/default-policy';
import type { PolicyMemory } from '../../../../runtime/core/pool/policy/policy';
import { warmStartGains } from '../../../../runtime/core/pool/policy/warm-start-gains';
import { expectedGains, foldHour, emptyRhythm, rhythmFromMemory, rhythmToMemory } from '../../../../runtime/core/pool/policy/week-rhythm';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 2 March 2026, 00:00 UTC. */
const MONDAY = Date.parse('2026-03-02T00:00:00Z');
const COLD_START_MS = 60_000;

describe('warmStartGains: the warm starts each added worker gives, replayed', () => {
  test('three dispatches within one cold start need three workers; each added worker gives one warm start', () => {
    expect(warmStartGains([HOUR + 1000, HOUR + 2000, HOUR + 3000], HOUR, 2 * HOUR, COLD_START_MS, 10)).toEqual([1, 1, 1]);
  });

  test('dispatches further apart than a cold start are all served by one worker, replaced in time', () => {
    const arrivals = Array.from({ length: 6 }, (_, index) => HOUR + 1000 + index * 2 * MINUTE);
    expect(warmStartGains(arrivals, HOUR, 2 * HOUR, COLD_START_MS, 10)).toEqual([6]);
  });

  test('a claim in the cold start before the window still holds its worker; maxWorkers bounds the list', () => {
    expect(warmStartGains([HOUR - 10_000, HOUR + 1000], HOUR, 2 * HOUR, COLD_START_MS, 10)).toEqual([0, 1]);
    expect(warmStartGains(Array.from({ length: 8 }, (_, index) => HOUR + 1 + index), HOUR, 2 * HOUR, COLD_START_MS, 3)).toEqual([1, 1, 1]);
  });
});

describe('the rhythm in the policy\'s memory', () => {
  test('round-trips through memory, numbers only', () => {
    let rhythm = emptyRhythm(MONDAY);
    rhythm = foldHour(rhythm, MONDAY / HOUR, [3, 1.5], 4);
    rhythm = foldHour(rhythm, MONDAY / HOUR + 23, [2], 2);
    const memory = rhythmToMemory(rhythm);
    expect(Object.values(memory).every((value) => typeof value === 'number')).toBe(true);
    const decoded = rhythmFromMemory(JSON.parse(JSON.stringify(memory)) as PolicyMemory, MONDAY);
    expect(decoded).toEqual(rhythm);
    expect(expectedGains(decoded, MONDAY + 30 * MINUTE)).toEqual(expectedGains(rhythm, MONDAY + 30 * MINUTE));
  });

  test('a fold rewrites only the slots it changed, and that memory is the one a full write gives', () => {
    const first = foldHour(emptyRhythm(MONDAY), MONDAY / HOUR, [3, 1.5, 0.015], 5);
    const before = rhythmToMemory(first);
    // The next Monday's same hour without its third worker's gain: it halves below what memory keeps, so its key goes.
    const second = foldHour({ ...first, next: MONDAY / HOUR + 168 }, MONDAY / HOUR + 168, [2, 0.2], 2);
    const after = rhythmToMemory(second, before);
    expect(after).toEqual(rhythmToMemory(second));
    // Monday 00:00 UTC is hour 96 of the epoch's week (which starts on a Thursday).
    expect(before).toHaveProperty(['w96.3']);
    expect(after).toHaveProperty(['w96.2']);
    expect(after).not.toHaveProperty(['w96.3']);
  });
});

/**
 * Drive the default policy through `days` of `arrivalsOn(dayStart)` as the scaler would (every ten minutes here,
 * with its lookback of arrivals), and return its memory at the end: what it learned.
 */
function learn(days: number, arrivalsOn: (day: number, dayStart: number) => number[], config = poolConfig()): PolicyMemory {
  const arrivals = Array.from({ length: days }, (_, day) => arrivalsOn(day, MONDAY + day * DAY)).flat().sort((a, b) => a - b);
  let memory: PolicyMemory = {};
  for (let now = MONDAY; now <= MONDAY + days * DAY; now += 10 * MINUTE) {
    const recent = arrivals.filter((at) => at <= now && at > now - defaultPolicy.lookbackSeconds * 1000);
    const pool = { idle: [], starting: 0, waiting: 0 };
    memory = defaultPolicy.decide({ now, trigger: 'tick', pool, demand: { arrivals: recent, coldStartSeconds: [60] }, config, memory }).memory;
  }
  return memory;
}

/** The pool the policy wants at `at` from what it learned alone: no dispatch in the last hours. */
function targetAt(memory: PolicyMemory, at: number, config = poolConfig()): number {
  return defaultPolicy.decide({ now: at, trigger: 'tick', pool: { idle: [], starting: 0, waiting: 0 }, demand: { arrivals: [], coldStartSeconds: [60] }, config, memory }).target;
}

describe('default policy: learning the week', () => {
  // Twenty dispatches an hour from 09:00 to 17:00 on weekdays, in pairs 10 s apart (two workers' worth);
  // nothing at night or at the weekend.
  const officeHours = (day: number, dayStart: number) => (day % 7 >= 5
    ? []
    : Array.from({ length: 160 }, (_, index) => dayStart + 9 * HOUR + Math.floor(index / 2) * 6 * MINUTE + (index % 2) * 10_000));

  test('a weekly pattern is learned within a week: office hours held for, nights and the weekend not', () => {
    const memory = learn(7, officeHours);
    const nextMonday = MONDAY + 7 * DAY;
    expect(targetAt(memory, nextMonday + 10 * HOUR)).toBeGreaterThanOrEqual(2);
    expect(targetAt(memory, nextMonday + DAY + 14 * HOUR)).toBeGreaterThanOrEqual(2);
    expect(targetAt(memory, nextMonday + 3 * HOUR)).toBe(0);
    expect(targetAt(memory, nextMonday + 6 * DAY + 10 * HOUR)).toBe(0);
  });

  test('the pool is there before the day\'s first dispatch: the next hour counts within a cold start of it', () => {
    const memory = learn(7, officeHours);
    expect(targetAt(memory, MONDAY + 7 * DAY + 9 * HOUR - 90_000)).toBeGreaterThanOrEqual(2);
    // An hour earlier the night's quiet still holds it: at most one worker, as the night's evidence allows.
    expect(targetAt(memory, MONDAY + 7 * DAY + 8 * HOUR)).toBeLessThanOrEqual(1);
  });
});

describe('default policy: the burst guard', () => {
  // Twenty jobs within 40 s at 02:00, the way a nightly batch fans out, over an engineer's few dispatches a day.
  const batch = (dayStart: number) => Array.from({ length: 20 }, (_, index) => dayStart + 2 * HOUR + index * 2000);
  const daytime = (dayStart: number) => [dayStart + 11 * HOUR, dayStart + 14 * HOUR, dayStart + 16 * HOUR];
  // Sunday, the seventh night: a week has not come round, so only the nights so far speak.
  const beforeSundaysBatch = MONDAY + 6 * DAY + 2 * HOUR - 90_000;

  test('a burst that recurs every night is held for, ready before it comes', () => {
    const memory = learn(6, (_, dayStart) => [...batch(dayStart), ...daytime(dayStart)]);
    expect(targetAt(memory, beforeSundaysBatch)).toBeGreaterThanOrEqual(15);
  });

  test('a burst seen once lets its workers go: an hour after it, and on the nights after', () => {
    const afterIt = learn(1, (day, dayStart) => (day === 0 ? batch(dayStart) : []));
    expect(targetAt(afterIt, MONDAY + 3 * HOUR + 30 * MINUTE)).toBeLessThanOrEqual(1);
    const memory = learn(6, (day, dayStart) => [...(day === 0 ? batch(dayStart) : []), ...daytime(dayStart)]);
    expect(targetAt(memory, beforeSundaysBatch)).toBeLessThanOrEqual(1);
  });
});

describe('default policy: the first worker through a quiet spell', () => {
  // From 08:00 to 20:00, a dispatch every three hours on average at no minute in particular (a fixed
  // pseudo-random sequence); none at night.
  const sparse = (_day: number, dayStart: number) => {
    const arrivals: number[] = [];
    let seed = dayStart / HOUR;
    for (let at = dayStart + 8 * HOUR; ; ) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      at += -Math.log(1 - seed / 2 ** 31) * 3 * HOUR;
      if (at >= dayStart + 20 * HOUR) {
        return arrivals;
      }
      arrivals.push(Math.round(at));
    }
  };

  test('is kept at night while a dispatch is expected before its idling costs more than the wait it saves', () => {
    const memory = learn(7, sparse);
    const night = MONDAY + 7 * DAY + 4 * HOUR;
    // The night's own hours expect nothing, but at $60 an hour a saved 60 s wait pays for 21 idle hours, within
    // which the day's four dispatches are expected (none of its hours expecting one of its own to start for).
    expect(targetAt(memory, night)).toBe(1);
    // At $5 an hour it pays for under two hours of idling, within which none is expected.
    expect(targetAt(memory, night, poolConfig({ waitValueUsdPerHour: 5 }))).toBe(0);
  });
});

