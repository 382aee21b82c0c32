import type { PoolPolicy } from '../policy/policy';

/** A policy that counts, on the scaler's minute, how often its target sits at the pool's `maxWorkers`. */
export interface CapWatch {
  readonly policy: PoolPolicy;
  /** The share of the scaler's minutes at which the target was at the cap: the policy would have held more. */
  atCapShare(): number;
}

export function watchCap(policy: PoolPolicy): CapWatch {
  let ticks = 0;
  let atCap = 0;
  return {
    policy: {
      name: policy.name,
      lookbackSeconds: policy.lookbackSeconds,
      decide(input) {
        const decision = policy.decide(input);
        if (input.trigger === 'tick') {
          ticks += 1;
          atCap += decision.target >= input.config.maxWorkers ? 1 : 0;
        }
        return decision;
      },
    },
    atCapShare: () => (ticks === 0 ? 0 : atCap / ticks),
  };
}
