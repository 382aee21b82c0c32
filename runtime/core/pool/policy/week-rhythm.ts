import type { PolicyMemory } from './policy';

/** Warm starts per hour that each added worker gave, averaged over the hours a slot has seen. */
interface Slot {
  /** Hours seen (a weekly slot sees one a week). */
  obs: number;
  /** `gains[k − 1]`: the k-th worker's warm starts per hour. */
  gains: number[];
}

/**
 * What the policy has learned of one agent's demand, by hour of the week (UTC): the warm starts each added
 * worker gave in each hour-of-week, in each hour-of-day, and over all hours, and each weekday's dispatches.
 * It is folded in hour by hour and kept in the policy's memory (docs/pool.md, "Learning the week").
 */
export interface Rhythm {
  /** The next hour to fold in, epoch hours. */
  readonly next: number;
  readonly allHours: Slot;
  readonly hourOfDay: readonly Slot[];
  readonly hourOfWeek: readonly Slot[];
  /** Dispatches per UTC day, by weekday (0 = Thursday 1970-01-01's weekday, as epoch days count). */
  readonly weekdays: readonly Slot[];
  /** Dispatches so far on the UTC day `todayDay`, folded into `weekdays` when it ends. */
  readonly today: number;
  readonly todayDay: number;
}

export const HOUR_MS = 3_600_000;
const HOURS_PER_WEEK = 168;

/**
 * The newest hours weigh most: a slot's average becomes an exponential one once it has seen 1 / α hours, so
 * a burst seen once fades (halves every day, or week, it does not come back) and one that recurs stays.
 */
const RECENCY = { allHours: 1 / HOURS_PER_WEEK, hourOfDay: 0.5, hourOfWeek: 0.5, weekdays: 0.5 } as const;
/**
 * The average hour starts as a day of hours without a dispatch: a first burst is not yet a habit, so it does
 * not make every hour look like one.
 */
const ALL_HOURS_UNSEEN = 24;
/** The prior's weight, in warm starts: a quarter, so a week of quiet nights outweighs a busy average hour. */
const PRIOR_ARRIVALS = 0.25;
/**
 * The most hours a slot's evidence weighs (its average follows the newest hours; how many it has seen says how
 * far to trust it): four weeks.
 */
const MAX_HOURS_SEEN = 28;
/** Dispatches added to a weekday's count and the average day's before comparing them. */
const WEEKDAY_PRIOR_DISPATCHES = 2;
/** The most hours a prior weighs: a day. */
const MAX_PRIOR_HOURS = 24;
/**
 * Gains below this many warm starts an hour (one in four days) are dropped from memory, which keeps it small;
 * they pay for a worker only where an hour's wait is worth over $250 (docs/pool.md).
 */
const NEGLIGIBLE = 0.01;

/** An empty rhythm that starts learning with the hour of `now`. */
export function emptyRhythm(now: number): Rhythm {
  const slots = (count: number) => Array.from({ length: count }, () => ({ obs: 0, gains: [] }));
  const hour = Math.floor(now / HOUR_MS);
  return {
    next: hour,
    allHours: { obs: 0, gains: [] },
    hourOfDay: slots(24),
    hourOfWeek: slots(HOURS_PER_WEEK),
    weekdays: slots(7),
    today: 0,
    todayDay: Math.floor(hour / 24),
  };
}

/** The rhythm with hour `hour` (epoch hours) folded in: its per-worker warm starts and its count of dispatches. */
export function foldHour(rhythm: Rhythm, hour: number, gains: readonly number[], dispatches: number): Rhythm {
  const day = Math.floor(hour / 24);
  let { today, todayDay } = rhythm;
  const weekdays = rhythm.weekdays.map((slot) => ({ ...slot }));
  if (day !== todayDay) {
    today = 0;
    todayDay = day;
  }
  today += dispatches;
  if (hour % 24 === 23) {
    average(weekdays[day % 7], [today], RECENCY.weekdays);
    today = 0;
    todayDay = day + 1;
  }
  const hourOfDay = [...rhythm.hourOfDay];
  const hourOfWeek = [...rhythm.hourOfWeek];
  hourOfDay[hour % 24] = averaged(hourOfDay[hour % 24], gains, RECENCY.hourOfDay);
  hourOfWeek[hour % HOURS_PER_WEEK] = averaged(hourOfWeek[hour % HOURS_PER_WEEK], gains, RECENCY.hourOfWeek);
  const allHours = averaged(rhythm.allHours, gains, RECENCY.allHours, ALL_HOURS_UNSEEN);
  return { next: hour + 1, allHours, hourOfDay, hourOfWeek, weekdays, today, todayDay };
}

/**
 * The warm starts per hour each added worker is expected to give in the hour containing `at`. Each level leans
 * on the broader one below it: the hour of the week on the hour of the day scaled by that weekday's share of
 * dispatches (a quiet Sunday), the hour of the day on the average hour.
 */
export function expectedGains(rhythm: Rhythm, at: number): readonly number[] {
  const hour = Math.floor(at / HOUR_MS);
  let byHour = expectedByHour.get(rhythm);
  if (!byHour) {
    byHour = new Map();
    expectedByHour.set(rhythm, byHour);
  }
  let gains = byHour.get(hour);
  if (!gains) {
    const hourOfDay = blend(rhythm.hourOfDay[hour % 24], rhythm.allHours.gains, 1);
    gains = blend(rhythm.hourOfWeek[hour % HOURS_PER_WEEK], hourOfDay, weekdayShare(rhythm.weekdays, Math.floor(hour / 24) % 7));
    byHour.set(hour, gains);
  }
  return gains;
}

/**
 * The dispatches the first worker is expected to start warm from `at` over the next `hours` (whole hours of the
 * learned week, the first counted from `at`), up to the first later hour that expects a dispatch of its own (a
 * worker is started ahead of that hour anyway): what says whether a worker kept through a quiet spell is used
 * before its idling has cost more than the wait it saves.
 */
export function firstWorkerUsesAhead(rhythm: Rhythm, at: number, hours: number): number {
  const key = `${Math.floor(at / HOUR_MS)}:${hours}`;
  let byKey = usesAhead.get(rhythm);
  if (!byKey) {
    byKey = new Map();
    usesAhead.set(rhythm, byKey);
  }
  let uses = byKey.get(key);
  if (uses === undefined) {
    uses = 0;
    const first = Math.floor(at / HOUR_MS);
    for (let hour = first; hour < first + Math.ceil(hours); hour++) {
      const gain = expectedGains(rhythm, hour * HOUR_MS)[0] ?? 0;
      if (hour > first && gain >= 1) {
        break;
      }
      uses += gain;
    }
    byKey.set(key, uses);
  }
  return uses;
}

const usesAhead = new WeakMap<Rhythm, Map<string, number>>();

/** Each rhythm's expected gains by hour: a rhythm lives an hour, and every decision in it asks for the same one or two. */
const expectedByHour = new WeakMap<Rhythm, Map<number, readonly number[]>>();

/**
 * The slot's gains leaning on `prior` × `scale`. A slot's hours are trusted as far as they could show a
 * difference: in Poisson terms the prior is a gamma worth PRIOR_ARRIVALS warm starts, so where the prior expects
 * a tenth of a warm start an hour, ten hours without one are no news, and where it expects dozens, one hour says much.
 */
function blend(slot: Slot, prior: readonly number[], scale: number): number[] {
  const seen = Math.min(slot.obs, MAX_HOURS_SEEN);
  const length = Math.max(slot.gains.length, prior.length);
  const gains: number[] = [];
  for (let k = 0; k < length; k++) {
    const expected = scale * (prior[k] ?? 0);
    const priorHours = expected > 0 ? Math.min(MAX_PRIOR_HOURS, PRIOR_ARRIVALS / expected) : 0;
    gains.push(seen + priorHours === 0 ? 0 : (seen * (slot.gains[k] ?? 0) + priorHours * expected) / (seen + priorHours));
  }
  return gains;
}

/** A weekday's dispatches over the average weekday's; 1 while that weekday, or every weekday, is unseen. */
function weekdayShare(weekdays: readonly Slot[], weekday: number): number {
  const seen = weekdays.filter((slot) => slot.obs > 0);
  // A day without dispatches keeps no number (zeros are dropped from memory).
  const mean = seen.reduce((sum, slot) => sum + (slot.gains[0] ?? 0), 0) / seen.length;
  // Both lean on WEEKDAY_PRIOR_DISPATCHES, so a sparse agent's quiet Tuesday is not read as a rule.
  const day = weekdays[weekday];
  return day.obs === 0 || !(mean > 0) ? 1 : ((day.gains[0] ?? 0) + WEEKDAY_PRIOR_DISPATCHES) / (mean + WEEKDAY_PRIOR_DISPATCHES);
}

function averaged(slot: Slot, sample: readonly number[], recency: number, unseen = 0): Slot {
  const copy = { obs: slot.obs, gains: [...slot.gains] };
  average(copy, sample, recency, unseen);
  return copy;
}

/**
 * Fold `sample` into `slot`: a running mean (over `unseen` empty hours and those seen) until 1 / `recency`
 * hours, then an exponential one.
 */
function average(slot: Slot, sample: readonly number[], recency: number, unseen = 0): void {
  slot.obs += 1;
  const weight = Math.max(1 / (slot.obs + unseen), recency);
  const length = Math.max(slot.gains.length, sample.length);
  for (let k = 0; k < length; k++) {
    slot.gains[k] = (1 - weight) * (slot.gains[k] ?? 0) + weight * (sample[k] ?? 0);
  }
  while (slot.gains.length > 0 && slot.gains[slot.gains.length - 1] < NEGLIGIBLE) {
    slot.gains.pop();
  }
}

// The rhythm in the policy's memory, which holds numbers only (the scaler keeps it in DynamoDB beside the pool):
// `next`, `today`, `todayDay`, and per slot `<slot>n` (hours seen) and `<slot>.<k>` (the k-th worker's gains),
// where a slot is `a` (all hours), `d<hour of day>`, `w<hour of week>` or `t<weekday>`.

const decoded = new WeakMap<PolicyMemory, Rhythm>();

/** The rhythm kept in `memory`, or an empty one from `now` when there is none. Decoded once per memory object. */
export function rhythmFromMemory(memory: PolicyMemory, now: number): Rhythm {
  let rhythm = decoded.get(memory);
  if (!rhythm) {
    rhythm = memory.next === undefined ? emptyRhythm(now) : decodeRhythm(memory);
    decoded.set(memory, rhythm);
  }
  return rhythm;
}

/**
 * The rhythm as memory. Given the memory it was folded from, only the slots that changed are written (a fold
 * changes four or so of some two hundred): the rest are carried over as they are.
 */
export function rhythmToMemory(rhythm: Rhythm, before?: PolicyMemory): PolicyMemory {
  const previous = before === undefined ? undefined : decoded.get(before);
  const memory: Record<string, number> = previous ? { ...before } : {};
  Object.assign(memory, { next: rhythm.next, today: rhythm.today, todayDay: rhythm.todayDay });
  const put = (name: string, slot: Slot, old: Slot | undefined) => {
    if (slot === old || slot.obs === 0) {
      return;
    }
    memory[`${name}n`] = slot.obs;
    slot.gains.forEach((gain, index) => (memory[`${name}.${index + 1}`] = gain));
    for (let index = slot.gains.length; index < (old?.gains.length ?? 0); index++) {
      delete memory[`${name}.${index + 1}`];
    }
  };
  put('a', rhythm.allHours, previous?.allHours);
  rhythm.hourOfDay.forEach((slot, index) => put(`d${index}`, slot, previous?.hourOfDay[index]));
  rhythm.hourOfWeek.forEach((slot, index) => put(`w${index}`, slot, previous?.hourOfWeek[index]));
  rhythm.weekdays.forEach((slot, index) => put(`t${index}`, slot, previous?.weekdays[index]));
  decoded.set(memory, rhythm);
  return memory;
}

const KEY = /^([adwt])(\d*)(?:n|\.(\d+))$/;

function decodeRhythm(memory: PolicyMemory): Rhythm {
  const rhythm = emptyRhythm(memory.next * HOUR_MS);
  const slots: Record<string, Slot[]> = { a: [rhythm.allHours], d: [...rhythm.hourOfDay], w: [...rhythm.hourOfWeek], t: [...rhythm.weekdays] };
  for (const [key, value] of Object.entries(memory)) {
    const match = KEY.exec(key);
    const slot = match ? slots[match[1]][Number(match[2] || 0)] : undefined;
    if (!slot || !Number.isFinite(value)) {
      continue;
    }
    if (match![3] === undefined) {
      slot.obs = value;
    } else {
      slot.gains[Number(match![3]) - 1] = value;
    }
  }
  for (const group of Object.values(slots)) {
    group.forEach((slot) => (slot.gains = Array.from(slot.gains, (gain) => gain ?? 0)));
  }
  const today = memory.today ?? 0;
  const todayDay = memory.todayDay ?? rhythm.todayDay;
  return { ...rhythm, allHours: slots.a[0], hourOfDay: slots.d, hourOfWeek: slots.w, weekdays: slots.t, today, todayDay };
}
