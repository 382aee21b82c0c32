/**
 * How many of `count` new pool workers to start on Fargate Spot so that the agent's pool comes as close as it
 * can to `share` on Spot, counting the `live` workers as ECS runs them (`onSpot` of them on Spot): a pool that
 * lost Spot workers to interruptions, or whose Spot starts fell back to on-demand, gets them back first.
 */
export function spotStarts(count: number, live: number, onSpot: number, share: number): number {
  return Math.min(count, Math.max(0, Math.round((live + count) * share) - onSpot));
}
