import type { PoolSnapshot } from './policy';

export interface StopRule {
  /** The pool (idle and starting) the policy wants. */
  readonly keep: number;
  /** Above this, idle workers stop at once, however briefly idle. */
  readonly cap: number;
  /** Between `keep` and `cap`, only workers idle this long stop. */
  readonly idleForMs: number;
}

/**
 * The idle workers to stop, the longest idle first (the least likely to be wanted soon): at once down to
 * `cap`, then those idle for `idleForMs` down to `keep`. Workers still starting are never stopped, as they
 * cost their start already and will be idle within the minute.
 */
export function idleWorkersToStop(pool: PoolSnapshot, now: number, rule: StopRule): string[] {
  const held = pool.idle.length + pool.starting;
  if (held <= rule.keep && held <= rule.cap) {
    // Nothing beyond what is wanted: the common case, on every claim and every minute.
    return [];
  }
  const longestIdleFirst = [...pool.idle].sort((a, b) => a.idleSince - b.idleSince || a.taskId.localeCompare(b.taskId));
  const overCap = Math.max(0, Math.min(held - rule.cap, longestIdleFirst.length));
  const stop = longestIdleFirst.slice(0, overCap);
  const timedOut = longestIdleFirst.slice(overCap).filter((worker) => now - worker.idleSince >= rule.idleForMs);
  const beyondKeep = Math.max(0, held - overCap - rule.keep);
  return [...stop, ...timedOut.slice(0, beyondKeep)].map((worker) => worker.taskId);
}
