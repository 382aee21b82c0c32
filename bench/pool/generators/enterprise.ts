import { DAY_MS, dispatchesAt, HOUR_MS, poissonArrivals } from './arrivals';
import { ciJobs } from './bursty';
import { workdayRate } from './workday';
import { seededStream, type Random } from '../../../runtime/core/pool/simulator/random';
import type { TraceDispatch } from '../../../runtime/core/pool/simulator/trace';

/** An office: its engineers' share and its clock (a fixed offset from UTC: summer time is left out). */
export interface Office {
  readonly name: string;
  readonly share: number;
  readonly utcOffsetHours: number;
}

export interface EnterpriseOptions {
  readonly seed: number;
  readonly engineers: number;
  readonly weeks: number;
  /** A Monday, 00:00 UTC. */
  readonly start: number;
  readonly offices: readonly Office[];
  /** Each engineer's dispatches by hand on an average working day (the workday trace's 24, less what CI runs for them). */
  readonly dispatchesPerEngineer: number;
  /** Weekend days are this busy, relative to a working day. */
  readonly weekendLevel: number;
  /** Engineers per team; each team has its CI pipelines. */
  readonly teamSize: number;
  /** A team's pipelines an hour in its working hours (08:00 to 19:00 local), each fanning out jobs as the bursty trace's do. */
  readonly pipelinesPerTeamHour: number;
  readonly jobsPerPipeline: { readonly min: number; readonly max: number };
  readonly fanOutSeconds: number;
  /** Each office's nightly batch at 02:00 local, every day: jobs per 100 engineers of the office. */
  readonly nightlyJobsPer100Engineers: number;
  readonly nightlyOverSeconds: number;
  /** The agents and how often each is chosen: per dispatch by hand, per pipeline for CI. */
  readonly agents: ReadonlyArray<readonly [agent: string, weight: number]>;
}

/**
 * A large organisation's year at about 7 million dispatches for 1,000 engineers (issue 18): the real traces'
 * agent mix (../shared/traces/README.md), offices on three continents, and the workday and bursty traces'
 * models for each office: engineers by hand through the local working day, teams' CI pipelines fanning out
 * jobs, a nightly batch, quiet weekends.
 */
export const ENTERPRISE_DEFAULTS: Omit<EnterpriseOptions, 'seed' | 'engineers'> = {
  weeks: 1,
  start: Date.parse('2026-03-02T00:00:00Z'),
  offices: [
    { name: 'san-francisco', share: 0.25, utcOffsetHours: -8 },
    { name: 'new-york', share: 0.2, utcOffsetHours: -5 },
    { name: 'london', share: 0.15, utcOffsetHours: 0 },
    { name: 'berlin', share: 0.15, utcOffsetHours: 1 },
    { name: 'bangalore', share: 0.15, utcOffsetHours: 5.5 },
    { name: 'singapore', share: 0.1, utcOffsetHours: 8 },
  ],
  dispatchesPerEngineer: 20,
  weekendLevel: 0.06,
  teamSize: 8,
  pipelinesPerTeamHour: 0.25,
  jobsPerPipeline: { min: 5, max: 25 },
  fanOutSeconds: 120,
  nightlyJobsPer100Engineers: 10,
  nightlyOverSeconds: 300,
  agents: [['claude', 40], ['codex', 25], ['gemini', 15], ['aider', 10], ['grok', 10]],
};

const CI_HOURS = { from: 8, to: 19 };
const NIGHTLY_HOUR = 2;

/**
 * The organisation's dispatches in time order, generated a day at a time: only a day's dispatches (about
 * 30,000 for 1,000 engineers) are held, so a year of them streams to a file in constant memory.
 */
export function* enterpriseTrace(options: EnterpriseOptions): Generator<TraceDispatch> {
  if (!Number.isInteger(options.engineers) || options.engineers < 1) {
    throw new Error(`the enterprise trace needs a whole number of engineers, at least 1, got ${options.engineers}`);
  }
  const random = seededStream(options.seed, 'enterprise');
  const pickAgent = agentPicker(options.agents, random);
  let held: TraceDispatch[] = [];
  for (let day = 0; day < options.weeks * 7; day++) {
    const from = options.start + day * DAY_MS;
    held.push(...oneDay(options, from, random, pickAgent));
    held.sort((a, b) => a.at - b.at);
    // A fan-out may spill past midnight into the next day: it waits for that day's dispatches, none earlier than midnight.
    const ready = held.filter((dispatch) => dispatch.at < from + DAY_MS);
    held = held.slice(ready.length);
    yield* ready;
  }
  yield* held;
}

/** Every office's dispatches whose day (in UTC) starts at `from`. */
function oneDay(options: EnterpriseOptions, from: number, random: Random, pickAgent: () => string): TraceDispatch[] {
  const dispatches: TraceDispatch[] = [];
  const to = from + DAY_MS;
  for (const office of options.offices) {
    const engineers = Math.round(options.engineers * office.share);
    if (engineers === 0) {
      continue;
    }
    const offsetMs = office.utcOffsetHours * HOUR_MS;
    const level = (at: number) => (isWeekend(at + offsetMs) ? options.weekendLevel : 1);
    const perDay = engineers * options.dispatchesPerEngineer * (0.85 + 0.3 * random());
    const midnight = from - offsetMs;
    const rate = (at: number) => workdayRate(at, midnight, perDay) * level(at);
    const peak = workdayRate(midnight + 10 * HOUR_MS, midnight, perDay);
    for (const at of poissonArrivals(random, from, to, rate, peak)) {
      dispatches.push(...dispatchesAt(random, [at], pickAgent()));
    }
    const teams = Math.max(1, Math.round(engineers / options.teamSize));
    const pipelinesPerHour = (at: number) => teams * options.pipelinesPerTeamHour * (inCiHours(at + offsetMs) ? level(at) : 0);
    for (const pipeline of poissonArrivals(random, from, to, pipelinesPerHour, teams * options.pipelinesPerTeamHour)) {
      const jobs = options.jobsPerPipeline.min + Math.floor(random() * (options.jobsPerPipeline.max - options.jobsPerPipeline.min + 1));
      dispatches.push(...ciJobs(random, pipeline, jobs, options.fanOutSeconds, pickAgent()));
    }
    const nightly = localTimeIn(from, to, offsetMs, NIGHTLY_HOUR);
    if (nightly !== undefined) {
      const jobs = Math.max(1, Math.round((engineers / 100) * options.nightlyJobsPer100Engineers));
      dispatches.push(...ciJobs(random, nightly, jobs, options.nightlyOverSeconds, pickAgent()));
    }
  }
  return dispatches;
}

function isWeekend(localAt: number): boolean {
  const weekday = new Date(localAt).getUTCDay();
  return weekday === 0 || weekday === 6;
}

function inCiHours(localAt: number): boolean {
  const hour = ((localAt % DAY_MS) + DAY_MS) % DAY_MS / HOUR_MS;
  return hour >= CI_HOURS.from && hour < CI_HOURS.to;
}

/** The time in [from, to) at which the local clock (`offsetMs` ahead of UTC) reads `hour`:00. */
function localTimeIn(from: number, to: number, offsetMs: number, hour: number): number | undefined {
  const localMidnight = Math.floor((from + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
  const candidates = [localMidnight, localMidnight + DAY_MS].map((midnight) => midnight + hour * HOUR_MS);
  return candidates.find((at) => at >= from && at < to);
}

function agentPicker(agents: EnterpriseOptions['agents'], random: Random): () => string {
  const total = agents.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    let draw = random() * total;
    for (const [agent, weight] of agents) {
      draw -= weight;
      if (draw < 0) {
        return agent;
      }
    }
    return agents[agents.length - 1][0];
  };
}
