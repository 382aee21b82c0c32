/**
 * How long, and how often, the hand-off asks a just-started worker whether it is listening. ECS reports a
 * task RUNNING once its containers have started, before the worker's HTTP server may be up; the event
 * carries no health status, and the container health check has not run yet (its start period), so the
 * worker's own answer is what confirms it is ready.
 */
export interface Patience {
  /** No attempt starts after this long. */
  readonly budgetMs: number;
  /** The wait after the first failed attempt; each later wait doubles, up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * A Node.js worker listens within a few seconds of its container starting; 30 s covers a slow start on a
 * small Fargate task, and leaves the hand-off well inside its function's timeout (src/control-plane/dispatch-lifecycle.ts).
 */
export const STARTING_WORKER_PATIENCE: Patience = { budgetMs: 30_000, firstDelayMs: 250, maxDelayMs: 4_000 };

/**
 * The wait before the next attempt, after `attempts` failed ones and `elapsedMs` since the first began; or
 * undefined when that attempt would start past the budget.
 */
export function nextAttemptDelay(patience: Patience, attempts: number, elapsedMs: number): number | undefined {
  const delay = Math.min(patience.maxDelayMs, patience.firstDelayMs * 2 ** Math.max(0, attempts - 1));
  return elapsedMs + delay <= patience.budgetMs ? delay : undefined;
}

/** Why the hand-off gave up on a worker for now: where it asked, for how long, and the last failure. */
export function notListeningReason(address: string, attempts: number, elapsedMs: number, lastFailure: string): string {
  return `the worker at ${address} did not answer in ${(elapsedMs / 1000).toFixed(1)} s (${attempts} attempts); last: ${lastFailure}`;
}
