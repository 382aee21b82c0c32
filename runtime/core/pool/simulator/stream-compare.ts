import { comparedPolicies, POLICY_NAMES, type ComparisonOptions, type PolicyName } from './compare';
import { streamOracle } from './oracle';
import type { FargatePricing } from './pricing';
import type { SimulationOptions } from './run';
import { streamPolicy } from './simulator';
import { RunTotals, type PolicySummary } from './summary';
import type { TraceSource } from './trace';
import type { PoolPolicy } from '../policy/policy';

/** One policy's numbers on a trace read as it goes: nothing of the run is kept but its totals. */
export function summarizePolicy(trace: TraceSource, policy: PoolPolicy, options: SimulationOptions, pricing: FargatePricing): PolicySummary {
  const totals = new RunTotals();
  streamPolicy(trace, policy, options, totals);
  return totals.summary(pricing);
}

/** The oracle's numbers on a trace read as it goes. */
export function summarizeOracle(trace: TraceSource, options: SimulationOptions, pricing: FargatePricing): PolicySummary {
  const totals = new RunTotals();
  streamOracle(trace, options, totals);
  return totals.summary(pricing);
}

/**
 * comparePolicies' numbers for a trace of any length: each policy reads the trace afresh (`open` gives a
 * new pass over it) and keeps only its totals, so memory does not grow with the trace.
 */
export function compareStreamed(open: () => TraceSource, options: ComparisonOptions): Record<PolicyName, PolicySummary> {
  const summaries = {} as Record<PolicyName, PolicySummary>;
  for (const [name, policy] of comparedPolicies(options)) {
    summaries[name] = summarizePolicy(open(), policy, options, options.pricing);
  }
  summaries.oracle = summarizeOracle(open(), options, options.pricing);
  return Object.fromEntries(POLICY_NAMES.map((name) => [name, summaries[name]])) as Record<PolicyName, PolicySummary>;
}
