import { simulateOracle } from './oracle';
import { DEFAULT_PRICING, type FargatePricing } from './pricing';
import { DEFAULT_SIMULATION, type Run, type SimulationOptions } from './run';
import { simulatePolicy } from './simulator';
import { summarize, type PolicySummary } from './summary';
import type { TraceDispatch } from './trace';
import { defaultPolicy } from '../policy/default-policy';
import { fixedPool } from './baselines/fixed-pool';
import { originalRule } from './baselines/original-rule';
import type { PoolPolicy } from '../policy/policy';

export const POLICY_NAMES = ['none', 'fixed', 'original-rule', 'default', 'oracle'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface ComparisonOptions extends SimulationOptions {
  readonly pricing: FargatePricing;
  /** The fixed pool's size. */
  readonly fixedSize: number;
}

export const DEFAULT_COMPARISON: ComparisonOptions = { ...DEFAULT_SIMULATION, pricing: DEFAULT_PRICING, fixedSize: 3 };

export interface Comparison {
  readonly policies: Record<PolicyName, PolicySummary>;
  readonly runs: Record<PolicyName, Run>;
}

/** Every policy on the same trace, seed and prices: the library entry point of `npm run simulate`. */
export function comparePolicies(trace: readonly TraceDispatch[], options: ComparisonOptions = DEFAULT_COMPARISON): Comparison {
  const runs = {} as Record<PolicyName, Run>;
  for (const [name, policy] of comparedPolicies(options)) {
    runs[name] = simulatePolicy(trace, policy, options);
  }
  runs.oracle = simulateOracle(trace, options);
  const summaries = {} as Record<PolicyName, PolicySummary>;
  for (const name of POLICY_NAMES) {
    summaries[name] = summarize(runs[name], options.pricing);
  }
  return { policies: summaries, runs };
}

/** The policies compared, by name, in POLICY_NAMES' order; the oracle, which is no policy, aside. */
export function comparedPolicies(options: ComparisonOptions): Array<[Exclude<PolicyName, 'oracle'>, PoolPolicy]> {
  return [
    ['none', fixedPool(0, 'none')],
    ['fixed', fixedPool(options.fixedSize)],
    ['original-rule', originalRule],
    ['default', defaultPolicy],
  ];
}
