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

/**
 * One measured cold start, with the capacity provider its task ran on (FARGATE, FARGATE_SPOT) when the pool item
 * recorded it: items registered before the provider was recorded have none, and count for their agent only.
 */
export interface ColdStart {
  readonly seconds: number;
  readonly capacityProvider?: string;
}

/** A worker's cold start from its pool item before (STARTING) and after (IDLE); undefined when it cannot be measured. */
export function measuredColdStart(
  starting: Record<string, unknown>, idle: Record<string, unknown>,
): ColdStart | undefined {
  const seconds = coldStartSeconds(starting.since, idle.since);
  const provider = idle.capacityProvider ?? starting.capacityProvider;
  if (seconds === undefined) {
    return undefined;
  }
  return typeof provider === 'string' && provider ? { seconds, capacityProvider: provider } : { seconds };
}

/** The cold starts grouped by capacity provider, in the order each provider first appears; those without one left out. */
export function byCapacityProvider(coldStarts: readonly ColdStart[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const { seconds, capacityProvider } of coldStarts) {
    if (capacityProvider) {
      groups.set(capacityProvider, [...groups.get(capacityProvider) ?? [], seconds]);
    }
  }
  return groups;
}

/** The latest `keep` of `kept` followed by `added`, oldest first. */
export function latestSamples(kept: readonly number[], added: readonly number[], keep = COLD_START_SAMPLES): number[] {
  return [...kept, ...added].slice(-keep);
}
