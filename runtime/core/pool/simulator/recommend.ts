import { watchCap } from './cap-check';
import { withCost, type CostedResult } from './cost';
import { coldStartModels, type ColdStartOrigin, type MeasuredColdStarts } from './measured-cold-starts';
import { DEFAULT_PRICING, taskHourPrice, type FargatePricing } from './pricing';
import { DEFAULT_SIMULATION, type SimulationOptions } from './run';
import { simulatePolicy } from './simulator';
import { summarize } from './summary';
import type { TraceDispatch } from './trace';
import { MAX_POOL_WORKERS, poolConfig } from '../policy/config';
import { defaultPolicy } from '../policy/default-policy';
import { DEFAULT_WAIT_VALUE_USD_PER_HOUR } from '../policy/wait-value';
import { fixedPool } from './baselines/fixed-pool';

/** The warm-pool settings a recommendation chooses: the `WarmPool` options of one agent. */
export interface PoolSettings {
  readonly minIdle: number;
  readonly maxWorkers: number;
  readonly idleTimeoutSeconds: number;
}

/** The settings tried, every combination of each list: small enough to simulate in seconds per agent. */
export const SETTINGS_GRID = {
  minIdle: [0, 1, 2],
  maxWorkers: [10, 30, 100],
  idleTimeoutSeconds: [5 * 60, 15 * 60, 30 * 60],
} as const;

/**
 * Fewer dispatches of an agent than this, and nothing is recommended for it: the policy sizes a pool from the
 * arrival rate, and a rate estimated from n arrivals is off by about 1/√n (±18% at 30, ±71% at 2), so a
 * small sample can recommend a pool far too large or too small.
 */
export const MIN_SAMPLE = 30;

/** A cap holds the pool back when raising it lowers the total cost by more than this share: below it is the simulation's noise. */
export const CAP_SAVING_THRESHOLD = 0.01;

export interface RecommendOptions {
  /** What an hour of waiting is worth, USD: the recommendation is the setting with the lowest total cost at it. @default 60 */
  readonly waitValueUsdPerHour?: number;
  /** A floor: only settings that start at least this share of dispatches warm are recommended, if any does. @default none */
  readonly targetWarmRatio?: number;
  readonly simulation?: SimulationOptions;
  readonly pricing?: FargatePricing;
  /** Agents' measured cold starts: an agent with samples draws its cold starts from them, the rest from `simulation.coldStart`. */
  readonly coldStarts?: MeasuredColdStarts;
}

/** Whether the recommendation's `maxWorkers` holds its pool back. */
export interface CapCheck {
  readonly maxWorkers: number;
  /** The share of the scaler's minutes at which the policy's target was at `maxWorkers`. */
  readonly atCapShare: number;
  /** The same settings with `maxWorkers` doubled (at most MAX_POOL_WORKERS). */
  readonly raisedMaxWorkers: number;
  readonly raisedTotalCostUsd: number;
  /** Raising the cap lowers the total cost by more than {@link CAP_SAVING_THRESHOLD}. */
  readonly holdsBack: boolean;
}

interface AgentOutcomeBase {
  readonly agent: string;
  readonly dispatches: number;
  /** The same trace with no pool: every dispatch cold. */
  readonly noPool: CostedResult;
  /** Whether its cold starts were drawn from measured samples (and how many), or from the assumed distribution. */
  readonly coldStart: ColdStartOrigin;
}

/** Settings recommended for one agent, with the numbers behind them. */
export interface AgentRecommendation extends AgentOutcomeBase {
  readonly outcome: 'recommended';
  readonly settings: PoolSettings;
  readonly result: CostedResult;
  /** Whether the settings reach the `targetWarmRatio` floor; true when there is none. */
  readonly reachesTarget: boolean;
  /** How many settings were simulated. */
  readonly tried: number;
  readonly cap: CapCheck;
}

/** Too few dispatches to recommend anything: no settings, and why. */
export interface TooSmallHistory extends AgentOutcomeBase {
  readonly outcome: 'too-small';
  readonly reason: string;
}

export type AgentOutcome = AgentRecommendation | TooSmallHistory;

/**
 * For each agent of the trace, the default policy under every setting of {@link SETTINGS_GRID}, simulated on
 * that agent's dispatches alone (each agent has its own pool): the setting with the lowest total cost, Fargate's
 * bill plus the waits at the wait value (of those reaching the `targetWarmRatio` floor, when one is given and
 * any does). An agent with fewer than {@link MIN_SAMPLE} dispatches gets no recommendation.
 */
export function recommendPoolSettings(trace: readonly TraceDispatch[], options: RecommendOptions = {}): AgentOutcome[] {
  const pricing = options.pricing ?? DEFAULT_PRICING;
  const waitValue = options.waitValueUsdPerHour ?? DEFAULT_WAIT_VALUE_USD_PER_HOUR;
  const agents = [...new Set(trace.map((dispatch) => dispatch.agent))].sort();
  const models = coldStartModels(agents, options.coldStarts ?? {}, (options.simulation ?? DEFAULT_SIMULATION).coldStart);
  return agents.map((agent): AgentOutcome => {
    const { model, origin } = models.get(agent)!;
    const simulation = { ...options.simulation ?? DEFAULT_SIMULATION, coldStart: model };
    const dispatches = trace.filter((dispatch) => dispatch.agent === agent);
    const run = (settings: PoolSettings) => {
      const policyTarget = options.targetWarmRatio === undefined ? {} : { targetWarmRatio: options.targetWarmRatio };
      // The policy weighs the wait value and the prices that the recommendation is judged by.
      const prices = { waitValueUsdPerHour: waitValue, workerUsdPerHour: taskHourPrice(pricing) };
      const config = poolConfig({ ...simulation.config, ...settings, ...policyTarget, ...prices });
      const watch = watchCap(defaultPolicy);
      const simulated = simulatePolicy(dispatches, watch.policy, { ...simulation, config });
      return { settings, result: withCost(summarize(simulated, pricing), waitValue), atCapShare: watch.atCapShare() };
    };
    const none = simulatePolicy(dispatches, fixedPool(0, 'none'), simulation);
    const base = { agent, dispatches: dispatches.length, noPool: withCost(summarize(none, pricing), waitValue), coldStart: origin };
    if (dispatches.length < MIN_SAMPLE) {
      return { ...base, outcome: 'too-small', reason: tooSmallReason(dispatches.length) };
    }
    const candidates = settingsGrid().map(run);
    const floor = options.targetWarmRatio ?? 0;
    const reaching = candidates.filter((candidate) => candidate.result.warmRatio >= floor);
    const [best] = (reaching.length > 0 ? reaching : candidates)
      .sort((a, b) => a.result.totalCostUsd - b.result.totalCostUsd || b.result.warmRatio - a.result.warmRatio);
    const raisedMaxWorkers = Math.min(MAX_POOL_WORKERS, 2 * best.settings.maxWorkers);
    const raised = candidates.find((candidate) => sameSettings(candidate.settings, { ...best.settings, maxWorkers: raisedMaxWorkers }))
      ?? run({ ...best.settings, maxWorkers: raisedMaxWorkers });
    const cap: CapCheck = {
      maxWorkers: best.settings.maxWorkers,
      atCapShare: best.atCapShare,
      raisedMaxWorkers,
      raisedTotalCostUsd: raised.result.totalCostUsd,
      holdsBack: raised.result.totalCostUsd < (1 - CAP_SAVING_THRESHOLD) * best.result.totalCostUsd,
    };
    return { ...base, outcome: 'recommended', settings: best.settings, result: best.result, reachesTarget: reaching.length > 0, tried: candidates.length, cap };
  });
}

/** Why `dispatches` are too few: the error of a rate estimated from them. */
export function tooSmallReason(dispatches: number): string {
  const error = dispatches === 0 ? '' : `: an arrival rate estimated from so few is off by about ±${Math.round(100 / Math.sqrt(dispatches))}% (1/√n)`;
  return `only ${dispatches} dispatches, fewer than ${MIN_SAMPLE}${error}, so any setting recommended could size the pool far too large or too small`;
}

function sameSettings(a: PoolSettings, b: PoolSettings): boolean {
  return a.minIdle === b.minIdle && a.maxWorkers === b.maxWorkers && a.idleTimeoutSeconds === b.idleTimeoutSeconds;
}

function settingsGrid(): PoolSettings[] {
  return SETTINGS_GRID.minIdle.flatMap((minIdle) => SETTINGS_GRID.maxWorkers.flatMap((maxWorkers) =>
    SETTINGS_GRID.idleTimeoutSeconds.map((idleTimeoutSeconds) => ({ minIdle, maxWorkers, idleTimeoutSeconds }))));
}
