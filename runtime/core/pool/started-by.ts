/**
 * The `startedBy` of a worker task: `outpost/<dispatchId>` for a cold start, `outpost/pool` for a warm-pool
 * worker. ECS accepts only letters, digits, `-`, `/` and `_` there (RunTask API reference), hence `/`.
 */
export function workerStartedBy(dispatchId?: string): string {
  return `outpost/${dispatchId ?? 'pool'}`;
}
