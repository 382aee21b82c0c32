import * as path from 'path';
import { WarmPoolOptions } from './warm-pool-options';
import { PACKAGE_ROOT } from '../core/runtime-assets';

/** One agent's pool configuration, as the policy core defines it (runtime/core/pool/policy/config.ts, `PoolConfig`). */
export interface PolicyPoolConfig {
  readonly minIdle: number;
  readonly maxWorkers: number;
  readonly idleTimeoutSeconds: number;
  readonly schedules: ReadonlyArray<{ readonly cron: string; readonly timeZone: string; readonly minIdle: number }>;
  readonly spotShare: number;
  readonly targetWarmRatio?: number;
  readonly waitValueUsdPerHour: number;
  readonly workerUsdPerHour: number;
  readonly assumedColdStartSeconds: number;
}

/** An agent task's size, as Fargate bills its workers (runtime/core/pool/policy/worker-price.ts, `WorkerSize`). */
export interface PoolWorkerSize {
  readonly vcpu: number;
  readonly memoryGb: number;
  readonly architecture: 'x86_64' | 'arm64';
  /** The stack's Region, or undefined when it is not known at synth. */
  readonly region?: string;
}

/** What the scaler is told of one agent's pool (OUTPOST_POOLS, read by runtime/core/pool/scaler/pool-settings.ts). */
export interface PoolSettings extends PolicyPoolConfig {
  readonly enabled: boolean;
}

interface PolicyConfigModule {
  readonly DEFAULT_POOL_CONFIG: PolicyPoolConfig;
  poolConfigProblems(config: PolicyPoolConfig): string[];
  workerUsdPerHour(size: Omit<PoolWorkerSize, 'region'> & { spotShare: number }, region?: string): number;
}

let policyConfig: PolicyConfigModule | undefined;

/**
 * The policy core's defaults and validation, from the build's bundle of them (assets/pool-config), so that
 * synthesis checks a pool exactly as the scaler will: the cron parser and the time-zone lookup included.
 */
function policyConfigModule(): PolicyConfigModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  policyConfig ??= require(path.join(PACKAGE_ROOT, 'assets', 'pool-config', 'index.js')) as PolicyConfigModule;
  return policyConfig;
}

/** The props' names for the policy core's fields, where they differ. */
const PROP_NAMES: Readonly<Record<string, string>> = { idleTimeoutSeconds: 'idleTimeout` (in seconds)', waitValueUsdPerHour: 'waitValue` (USD an hour)' };

/**
 * An agent's pool settings from its `warmPool` options and the policy core's defaults. Throws at synth with
 * every problem, each naming the prop, e.g. `` Agent.claude: `warmPool.minIdle` must be a whole number from 0 to 20, got 30. ``
 */
export function poolSettings(owner: string, options: WarmPoolOptions = {}, worker?: PoolWorkerSize): PoolSettings {
  const { DEFAULT_POOL_CONFIG, poolConfigProblems, workerUsdPerHour } = policyConfigModule();
  const spotShare = options.spotShare ?? DEFAULT_POOL_CONFIG.spotShare;
  // Spot runs x86_64 only: a share on arm64 is refused by the agent, and priced on demand here until it is.
  const priced = worker && (spotShare === 0 || worker.architecture === 'x86_64')
    ? { workerUsdPerHour: workerUsdPerHour({ ...worker, spotShare }, worker.region) }
    : {};
  const config: PolicyPoolConfig = {
    ...DEFAULT_POOL_CONFIG,
    ...priced,
    ...definedOnly({
      minIdle: options.minIdle,
      maxWorkers: options.maxWorkers,
      idleTimeoutSeconds: options.idleTimeout?.toSeconds(),
      schedules: options.schedules?.map(({ cron, timeZone, minIdle }) => ({ cron, timeZone, minIdle })),
      spotShare: options.spotShare,
      targetWarmRatio: options.targetWarmRatio,
      waitValueUsdPerHour: options.waitValue,
    }),
  };
  const problems = poolConfigProblems(config).map((problem) =>
    `${owner}: ${problem.replace(/^`([^`]+)`/, (_match, field: string) => `\`warmPool.${PROP_NAMES[field] ?? `${field}\``}`)}`);
  if (problems.length > 0) {
    throw new Error(problems.join('\n'));
  }
  return { enabled: options.enabled ?? true, ...config };
}

function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
