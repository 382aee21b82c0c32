import type { PolicyInput, PoolDecision, PoolPolicy } from '../../policy/policy';

/** Keeps `size` workers idle or starting at all times, replacing a claimed one at once; `size` 0 is no pool. */
export function fixedPool(size: number, name = 'fixed'): PoolPolicy {
  return {
    name,
    lookbackSeconds: 0,
    decide({ pool }: PolicyInput): PoolDecision {
      return { start: Math.max(0, size - pool.idle.length - pool.starting), stop: [], target: size, memory: {} };
    },
  };
}
