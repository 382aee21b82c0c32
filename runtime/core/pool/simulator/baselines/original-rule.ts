import type { PolicyInput, PoolDecision, PoolPolicy } from '../../policy/policy';

/** The original rule's parameters: the pool's bounds, how often it may change, and when a worker counts as long idle. */
export interface OriginalRuleParameters {
  readonly minSize: number;
  readonly maxSize: number;
  readonly cooldownMs: number;
  readonly idleForMs: number;
}

/** The original design's numbers. */
export const ORIGINAL_RULE: OriginalRuleParameters = {
  minSize: 1,
  maxSize: 10,
  cooldownMs: 5 * 60_000,
  idleForMs: 10 * 60_000,
};

/**
 * The rule of the original design, kept as the baseline the default policy is measured against. On the
 * scaler's minute only, and at most once per cooldown: grow the pool by one worker when more dispatches wait
 * than twice its size; shrink it by one (stopping the longest idle worker) when more than half of it has been
 * idle for 10 minutes; between 1 and 10 workers. Every minute it starts workers to bring idle and starting
 * workers back to its size, so a claimed worker is replaced on the next minute.
 *
 * Memory: `size`, the pool size it keeps, and `scaledAt`, when it last changed it.
 */
export const originalRule: PoolPolicy = originalRuleWith(ORIGINAL_RULE);

/** The original rule with other numbers: what `--sweep` tries (runtime/core/pool/simulator/sweep). */
export function originalRuleWith(rule: OriginalRuleParameters, name = 'original-rule'): PoolPolicy {
  return { name, lookbackSeconds: 0, decide: (input) => decideByRule(rule, input) };
}

function decideByRule(rule: OriginalRuleParameters, { now, trigger, pool, memory }: PolicyInput): PoolDecision {
  let size = memory.size ?? rule.minSize;
  if (trigger !== 'tick') {
    return { start: 0, stop: [], target: size, memory };
  }
  let scaledAt = memory.scaledAt;
  let stop: string[] = [];
  if (scaledAt === undefined || now - scaledAt >= rule.cooldownMs) {
    const longIdle = pool.idle.filter((worker) => now - worker.idleSince >= rule.idleForMs);
    if (pool.waiting > 2 * size && size < rule.maxSize) {
      size += 1;
      scaledAt = now;
    } else if (longIdle.length > size / 2 && size > rule.minSize) {
      size -= 1;
      scaledAt = now;
      stop = [longIdle.reduce((oldest, worker) => (worker.idleSince < oldest.idleSince ? worker : oldest)).taskId];
    }
  }
  const held = pool.idle.length - stop.length + pool.starting;
  return { start: Math.max(0, size - held), stop, target: size, memory: scaledAt === undefined ? { size } : { size, scaledAt } };
}
