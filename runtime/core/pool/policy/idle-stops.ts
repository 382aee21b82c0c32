import type { PoolSnapshot } from './policy';

/**
 * The idle workers to stop so that the pool (idle and starting) comes down toward `keep`, taking only
 * workers idle for at least `idleForMs`, the longest idle first: it is the least likely to be wanted soon, and
 * the most recently started stays warm longest.
 */
export function idleWorkersToStop(pool: PoolSnapshot, keep: number, now: number, idleForMs: number): string[] {
  const excess = pool.idle.length + pool.starting - keep;
  if (excess <= 0) {
    return [];
  }
  return pool.idle
    .filter((worker) => now - worker.idleSince >= idleForMs)
    .sort((a, b) => a.idleSince - b.idleSince || a.taskId.localeCompare(b.taskId))
    .slice(0, excess)
    .map((worker) => worker.taskId);
}
