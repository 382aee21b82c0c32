/** How many of an agent's latest cold starts the scaler keeps for the policy. */
export const COLD_START_SAMPLES = 20;

/**
 * A pool worker's cold start, RunTask to healthy, in seconds: from its item's `since` when it was registered
 * STARTING (just after RunTask returned) to its `since` when it became IDLE (ECS reported it running and it
 * answered the hand-off, or the scaler found it healthy).
 * Undefined when either time is missing or they are out of order.
 */
export function coldStartSeconds(startingSince: unknown, idleSince: unknown): number | undefined {
  const seconds = (Date.parse(String(idleSince)) - Date.parse(String(startingSince))) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** The latest `keep` of `kept` followed by `added`, oldest first. */
export function latestSamples(kept: readonly number[], added: readonly number[], keep = COLD_START_SAMPLES): number[] {
  return [...kept, ...added].slice(-keep);
}
