import { parseCron } from './cron';
import { isKnownTimeZone } from './local-time';
import type { ScheduledFloor } from './schedule';
import { DEFAULT_WAIT_VALUE_USD_PER_HOUR } from './wait-value';
import { workerUsdPerHour } from './worker-price';
import { FARGATE_LAUNCH_LIMITS } from '../launch-limits';

/** One agent's warm-pool settings, as the WarmPool construct will expose them. */
export interface PoolConfig {
  /** Idle workers kept at all times, whatever the demand. */
  readonly minIdle: number;
  /** The most workers the pool holds that are not running a dispatch (idle and starting together). */
  readonly maxWorkers: number;
  /** A worker above the floor is stopped once it has been idle this long. */
  readonly idleTimeoutSeconds: number;
  /** Windows (cron + time zone) that raise the floor, e.g. in working hours. */
  readonly schedules: readonly ScheduledFloor[];
  /** The share of pool workers started on Fargate Spot, from 0 to 1. */
  readonly spotShare: number;
  /**
   * A floor under the value rule: the pool is sized to start at least this share of dispatches warm at the
   * recent rate, whatever the waits are worth. Unset: the value rule alone decides.
   */
  readonly targetWarmRatio?: number;
  /** What an hour of waiting for a cold start is worth, USD: what the policy weighs idle workers against. */
  readonly waitValueUsdPerHour: number;
  /** What one idle worker costs an hour, USD (the agent's task size at Fargate's price in the Region). */
  readonly workerUsdPerHour: number;
  /** The cold start assumed until the agent's own have been measured. */
  readonly assumedColdStartSeconds: number;
}

// The construct's bundle of this module (assets/pool-config) prices each agent's workers at synth.
export { workerUsdPerHour } from './worker-price';

/**
 * An idle worker's hour at the agent tasks' default size, 1 vCPU and 4 GB on arm64, on demand in us-east-1.
 * The WarmPool construct sets each agent's own, from its size, architecture, Spot share and Region.
 */
export const DEFAULT_WORKER_USD_PER_HOUR = workerUsdPerHour({ vcpu: 1, memoryGb: 4, architecture: 'arm64', spotShare: 0 });

export const DEFAULT_POOL_CONFIG: PoolConfig = {
  minIdle: 0,
  // Demand decides, up to what Fargate launches at once in an account (its task-launch bucket).
  maxWorkers: FARGATE_LAUNCH_LIMITS.bucketSize,
  idleTimeoutSeconds: 15 * 60,
  schedules: [],
  // On-demand: a Spot interruption of a warm worker turns the next dispatch's warm start into a cold one.
  spotShare: 0,
  waitValueUsdPerHour: DEFAULT_WAIT_VALUE_USD_PER_HOUR,
  workerUsdPerHour: DEFAULT_WORKER_USD_PER_HOUR,
  assumedColdStartSeconds: 60,
};

/** The most workers one agent's pool may be configured for: far above any need, low enough to catch a typo. */
export const MAX_POOL_WORKERS = 1000;

/** A complete configuration from the fields given and the defaults; throws naming the first field at fault. */
export function poolConfig(fields: Partial<PoolConfig> = {}): PoolConfig {
  const config = { ...DEFAULT_POOL_CONFIG, ...fields };
  const problem = poolConfigProblems(config)[0];
  if (problem) {
    throw new Error(problem);
  }
  return config;
}

/** Every way `config` is invalid, each naming its field; empty when it is valid. */
export function poolConfigProblems(config: PoolConfig): string[] {
  const problems = [
    wholeNumber('maxWorkers', config.maxWorkers, 1, MAX_POOL_WORKERS),
    wholeNumber('minIdle', config.minIdle, 0, config.maxWorkers),
    between('idleTimeoutSeconds', config.idleTimeoutSeconds, 60, 24 * 3600),
    between('spotShare', config.spotShare, 0, 1),
    config.targetWarmRatio === undefined ? undefined : between('targetWarmRatio', config.targetWarmRatio, 0.5, 0.999),
    between('waitValueUsdPerHour', config.waitValueUsdPerHour, 0, 10_000),
    between('workerUsdPerHour', config.workerUsdPerHour, 0.001, 100),
    between('assumedColdStartSeconds', config.assumedColdStartSeconds, 1, 3600),
    ...config.schedules.map((schedule, index) => scheduleProblem(schedule, index, config.maxWorkers)),
  ];
  return problems.filter((problem): problem is string => problem !== undefined);
}

function scheduleProblem(schedule: ScheduledFloor, index: number, maxWorkers: number): string | undefined {
  const field = `schedules[${index}]`;
  try {
    parseCron(schedule.cron);
  } catch (error) {
    return `\`${field}.cron\`: ${(error as Error).message}`;
  }
  if (!isKnownTimeZone(schedule.timeZone)) {
    return `\`${field}.timeZone\` must be an IANA time zone such as Europe/Berlin, got ${JSON.stringify(schedule.timeZone)}.`;
  }
  return wholeNumber(`${field}.minIdle`, schedule.minIdle, 0, maxWorkers);
}

function wholeNumber(field: string, value: number, min: number, max: number): string | undefined {
  return Number.isInteger(value) && value >= min && value <= max ? undefined : `\`${field}\` must be a whole number from ${min} to ${max}, got ${value}.`;
}

function between(field: string, value: number, min: number, max: number): string | undefined {
  return value >= min && value <= max ? undefined : `\`${field}\` must be from ${min} to ${max}, got ${value}.`;
}
