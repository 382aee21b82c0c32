import { DAY_MS, dispatchesAt, HOUR_MS, poissonArrivals } from './arrivals';
import { workdayRate } from './workday';
import { seededStream, type Random } from '../../../runtime/core/pool/simulator/random';
import type { TraceDispatch } from '../../../runtime/core/pool/simulator/trace';

export interface BurstyOptions {
  readonly seed: number;
  readonly days: number;
  readonly start: number;
  readonly agent: string;
  /** Engineers dispatching by hand through the day, as in the workday trace. */
  readonly engineers: number;
  readonly dispatchesPerEngineer: number;
  /** CI pipelines that fan out agent jobs (a merge to main), per hour from 08:00 to 19:00 on each day. */
  readonly pipelinesPerHour: number;
  /** Jobs per pipeline, uniformly from `min` to `max`. */
  readonly jobsPerPipeline: { readonly min: number; readonly max: number };
  /** How long a pipeline takes to hand out its jobs. */
  readonly fanOutSeconds: number;
  /** The nightly batch (dependency updates and the like) at 02:00: this many jobs over `nightlyOverSeconds`. */
  readonly nightlyJobs: number;
  readonly nightlyOverSeconds: number;
}

export const BURSTY_DEFAULTS: Omit<BurstyOptions, 'seed'> = {
  days: 5,
  start: Date.parse('2026-03-02T00:00:00Z'),
  agent: 'claude',
  engineers: 4,
  dispatchesPerEngineer: 24,
  pipelinesPerHour: 1.5,
  jobsPerPipeline: { min: 5, max: 25 },
  fanOutSeconds: 120,
  nightlyJobs: 30,
  nightlyOverSeconds: 300,
};

/** CI jobs run 2 to 10 minutes; the engineers' runs 2 to 20. */
const CI_JOB_SECONDS = { min: 120, max: 600 };
const CI_HOURS = { from: 8, to: 19 };
const NIGHTLY_HOUR = 2;

/** A few engineers by hand, plus CI: pipelines through the working day, each a spike of jobs, and a nightly batch. */
export function burstyTrace(options: BurstyOptions): TraceDispatch[] {
  const random = seededStream(options.seed, 'bursty');
  const dispatches: TraceDispatch[] = [];
  for (let day = 0; day < options.days; day++) {
    const from = options.start + day * DAY_MS;
    const perDay = options.engineers * options.dispatchesPerEngineer;
    const peak = workdayRate(from + 10 * HOUR_MS, from, perDay);
    const byHand = poissonArrivals(random, from, from + DAY_MS, (at) => workdayRate(at, from, perDay), peak);
    dispatches.push(...dispatchesAt(random, byHand, options.agent));
    const [ciFrom, ciTo] = [from + CI_HOURS.from * HOUR_MS, from + CI_HOURS.to * HOUR_MS];
    const pipelines = poissonArrivals(random, ciFrom, ciTo, () => options.pipelinesPerHour, options.pipelinesPerHour);
    for (const pipeline of pipelines) {
      const jobs = options.jobsPerPipeline.min + Math.floor(random() * (options.jobsPerPipeline.max - options.jobsPerPipeline.min + 1));
      dispatches.push(...ciJobs(random, pipeline, jobs, options.fanOutSeconds, options.agent));
    }
    dispatches.push(...ciJobs(random, from + NIGHTLY_HOUR * HOUR_MS, options.nightlyJobs, options.nightlyOverSeconds, options.agent));
  }
  return dispatches.sort((a, b) => a.at - b.at);
}

/** `jobs` CI jobs handed out over `overSeconds` from `at`, each 2 to 10 minutes. */
export function ciJobs(random: Random, at: number, jobs: number, overSeconds: number, agent: string): TraceDispatch[] {
  const arrivals = Array.from({ length: jobs }, () => at + random() * overSeconds * 1000);
  return dispatchesAt(random, arrivals, agent, CI_JOB_SECONDS.min, CI_JOB_SECONDS.max);
}
