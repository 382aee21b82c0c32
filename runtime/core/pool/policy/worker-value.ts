/** What a warm start is worth against what an idle worker costs. */
export interface ValueRule {
  /** USD an hour of waiting is worth (`WarmPoolProps.waitValue`). */
  readonly waitValueUsdPerHour: number;
  /** USD an hour one idle worker costs at Fargate's price. */
  readonly workerUsdPerHour: number;
  /** The wait a warm start saves: the agent's cold start, seconds. */
  readonly savedSeconds: number;
}

/**
 * How many workers are worth holding: the k-th is, when the warm starts it is expected to give an hour (the
 * highest `estimates[i][k − 1]`), each saving a cold start's wait at the wait value, are worth more than its
 * hour of idling. The count stops at the first worker not worth it (gains fall with k: each added worker
 * serves only the arrivals the ones before it could not).
 */
export function workersWorthHolding(estimates: ReadonlyArray<readonly number[]>, rule: ValueRule): number {
  const warmStartUsd = (rule.savedSeconds / 3600) * rule.waitValueUsdPerHour;
  // The warm starts an hour that pay for a worker's idle hour.
  const paying = rule.workerUsdPerHour / warmStartUsd;
  let workers = 0;
  while (estimates.some((gains) => gains[workers] > paying)) {
    workers++;
  }
  return workers;
}

/** The warm starts an hour each added worker gives Poisson arrivals at `perHour` (Erlang's loss, claims replaced after `coldStartSeconds`). */
export function poissonGains(perHour: number, coldStartSeconds: number, maxWorkers: number): number[] {
  const load = (perHour / 3600) * coldStartSeconds;
  const gains: number[] = [];
  let blocking = 1;
  for (let k = 1; k <= maxWorkers && load > 0; k++) {
    const next = (load * blocking) / (k + load * blocking);
    gains.push(perHour * (blocking - next));
    blocking = next;
    if (blocking < 1e-6) {
      break;
    }
  }
  return gains;
}
