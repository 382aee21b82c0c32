import { coldStartModels, type ColdStartOrigin, type MeasuredColdStarts } from './measured-cold-starts';
import { DEFAULT_PRICING, type FargatePricing } from './pricing';
import { DEFAULT_SIMULATION, type SimulationOptions } from './run';
import { simulatePolicy } from './simulator';
import { summarize, type PolicyResult } from './summary';
import type { TraceDispatch } from './trace';
import { poolConfig } from '../policy/config';
import { defaultPolicy } from '../policy/default-policy';
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
  maxWorkers: [5, 10, 20],
  idleTimeoutSeconds: [5 * 60, 15 * 60, 30 * 60],
} as const;

export interface RecommendOptions {
  /** The share of dispatches that should start warm. @default 0.95 */
  readonly targetWarmRatio?: number;
  readonly simulation?: SimulationOptions;
  readonly pricing?: FargatePricing;
  /** Agents' measured cold starts: an agent with samples draws its cold starts from them, the rest from `simulation.coldStart`. */
  readonly coldStarts?: MeasuredColdStarts;
}

export interface AgentRecommendation {
  readonly agent: string;
  readonly dispatches: number;
  readonly settings: PoolSettings;
  readonly result: PolicyResult;
  /** Whether any setting tried reached the target; if none did, the recommendation is the warmest. */
  readonly reachesTarget: boolean;
  /** The same trace with no pool: every dispatch cold. What the pool's warm starts cost is the difference. */
  readonly noPool: PolicyResult;
  /** How many settings were simulated. */
  readonly tried: number;
  /** Whether its cold starts were drawn from measured samples (and how many), or from the assumed distribution. */
  readonly coldStart: ColdStartOrigin;
}

/**
 * For each agent of the trace, the default policy under every setting of {@link SETTINGS_GRID}, simulated on
 * that agent's dispatches alone (each agent has its own pool): the cheapest that starts at least the target
 * share warm, or, when none does, the warmest (the cheaper of equals).
 */
export function recommendPoolSettings(trace: readonly TraceDispatch[], options: RecommendOptions = {}): AgentRecommendation[] {
  const target = options.targetWarmRatio ?? 0.95;
  const pricing = options.pricing ?? DEFAULT_PRICING;
  const agents = [...new Set(trace.map((dispatch) => dispatch.agent))].sort();
  const models = coldStartModels(agents, options.coldStarts ?? {}, (options.simulation ?? DEFAULT_SIMULATION).coldStart);
  return agents.map((agent) => {
    const { model, origin } = models.get(agent)!;
    const simulation = { ...options.simulation ?? DEFAULT_SIMULATION, coldStart: model };
    const dispatches = trace.filter((dispatch) => dispatch.agent === agent);
    const candidates = settingsGrid().map((settings) => {
      const config = poolConfig({ ...simulation.config, ...settings, targetWarmRatio: target });
      return { settings, result: summarize(simulatePolicy(dispatches, defaultPolicy, { ...simulation, config }), pricing) };
    });
    const reaching = candidates.filter((candidate) => candidate.result.warmRatio >= target);
    const [best] = reaching.length > 0
      ? reaching.sort((a, b) => a.result.costUsd - b.result.costUsd || b.result.warmRatio - a.result.warmRatio)
      : candidates.sort((a, b) => b.result.warmRatio - a.result.warmRatio || a.result.costUsd - b.result.costUsd);
    return {
      agent,
      dispatches: dispatches.length,
      ...best,
      reachesTarget: reaching.length > 0,
      noPool: summarize(simulatePolicy(dispatches, fixedPool(0, 'none'), simulation), pricing),
      tried: candidates.length,
      coldStart: origin,
    };
  });
}

function settingsGrid(): PoolSettings[] {
  return SETTINGS_GRID.minIdle.flatMap((minIdle) => SETTINGS_GRID.maxWorkers.flatMap((maxWorkers) =>
    SETTINGS_GRID.idleTimeoutSeconds.map((idleTimeoutSeconds) => ({ minIdle, maxWorkers, idleTimeoutSeconds }))));
}
