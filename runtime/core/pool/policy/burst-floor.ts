/** How the burst floor reads arrivals: recent ones, and those around the same time yesterday. */
export interface BurstRule {
  /** The share of the windows' arrivals the floor covers. */
  readonly quantile: number;
  /** The recent window, seconds before now. */
  readonly recentSeconds: number;
  /** Yesterday's window reaches this far before and after the same time of day, seconds. */
  readonly yesterdaySeconds: number;
  /** Fewer arrivals than this in the windows say nothing about their clusters. */
  readonly minArrivals: number;
}

const DAY_MS = 86_400_000;

/**
 * Idle and starting workers for clustered demand (CI pipelines fanning out jobs, a nightly batch): the
 * `rule.quantile` of "how many dispatches arrived within one cold start, up to and including this one" over
 * the arrivals of the windows. A pool that holds that many serves that share of those arrivals warm even
 * though they came faster than workers start. Yesterday's window lets a daily pattern (the morning's first
 * pipeline, the 02:00 batch) be met before it comes again.
 *
 * Returns 0 unless the demand is clustered: with fewer than `rule.minArrivals` arrivals, or when the
 * quantile is less than twice what Poisson arrivals at the windows' mean rate would give (steady demand is
 * steadyDemandFloor's; its ups and downs through a day are not bursts).
 */
export function burstDemandFloor(arrivals: readonly number[], now: number, coldStartSeconds: number, rule: BurstRule): number {
  const coldStartMs = coldStartSeconds * 1000;
  const recentFrom = now - rule.recentSeconds * 1000;
  const yesterdayFrom = now - DAY_MS - rule.yesterdaySeconds * 1000;
  const yesterdayTo = now - DAY_MS + rule.yesterdaySeconds * 1000;
  const counts: number[] = [];
  let first = 0;
  arrivals.forEach((at, index) => {
    while (arrivals[first] <= at - coldStartMs) {
      first++;
    }
    if (at > recentFrom || (at > yesterdayFrom && at <= yesterdayTo)) {
      counts.push(index - first + 1);
    }
  });
  if (counts.length < rule.minArrivals) {
    return 0;
  }
  counts.sort((a, b) => a - b);
  const floor = counts[Math.ceil(rule.quantile * counts.length) - 1];
  const windowSeconds = rule.recentSeconds + 2 * rule.yesterdaySeconds;
  const poisson = 1 + poissonQuantile((counts.length / windowSeconds) * coldStartSeconds, rule.quantile);
  return floor >= 2 * poisson ? floor : 0;
}

/** The smallest k with P(N ≤ k) ≥ `quantile` for N Poisson with mean `mean`. */
export function poissonQuantile(mean: number, quantile: number): number {
  let term = Math.exp(-mean);
  let cumulative = term;
  let k = 0;
  while (cumulative < quantile) {
    k++;
    term *= mean / k;
    cumulative += term;
  }
  return k;
}
