import type { PolicyInput, PoolDecision, PoolPolicy } from '../../policy/policy';

/** The original design's numbers. */
export const ORIGINAL_RULE = {
  minSize: 1,
  maxSize: 10,
  cooldownMs: 5 * 60_000,
  idleForMs: 10 * 60_000,
} as const;

/**
 * The rule of the original design, kept as the baseline the default policy is measured against. On the
 * scaler's minute only, and at most once per cooldown: grow the pool by one worker when more dispatches wait
 * than twice its size; shrink it by one (stopping the longest idle worker) when more than half of it has been
 * idle for 10 minutes; between 1 and 10 workers. Every minute it starts workers to bring idle and starting
 * workers back to its size, so a claimed worker is replaced on the next minute.
 *
 * Memory: `size`, the pool size it keeps, and `scaledAt`, when it last changed it.
 */
export const originalRule: PoolPolicy = {
  name: 'original-rule',
  lookbackSeconds: 0,
  decide({ now, trigger, pool, memory }: PolicyInput): PoolDecision {
    let size = memory.size ?? ORIGINAL_RULE.minSize;
    if (trigger !== 'tick') {
      return { start: 0, stop: [], target: size, memory };
    }
    let scaledAt = memory.scaledAt;
    let stop: string[] = [];
    if (scaledAt === undefined || now - scaledAt >= ORIGINAL_RULE.cooldownMs) {
      const longIdle = pool.idle.filter((worker) => now - worker.idleSince >= ORIGINAL_RULE.idleForMs);
      if (pool.waiting > 2 * size && size < ORIGINAL_RULE.maxSize) {
        size += 1;
        scaledAt = now;
      } else if (longIdle.length > size / 2 && size > ORIGINAL_RULE.minSize) {
        size -= 1;
        scaledAt = now;
        stop = [longIdle.reduce((oldest, worker) => (worker.idleSince < oldest.idleSince ? worker : oldest)).taskId];
      }
    }
    const held = pool.idle.length - stop.length + pool.starting;
    return { start: Math.max(0, size - held), stop, target: size, memory: scaledAt === undefined ? { size } : { size, scaledAt } };
  },
};
