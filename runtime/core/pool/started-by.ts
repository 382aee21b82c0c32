/**
 * The `startedBy` of a worker task: `outpost/<dispatchId>` for a cold start, `outpost/pool` for a warm-pool
 * worker. ECS accepts only letters, digits, `-`, `/` and `_` there (RunTask API reference), hence `/`.
 */
export function workerStartedBy(dispatchId?: string): string {
  return `outpost/${dispatchId ?? 'pool'}`;
}

const COLD_START = /^outpost\/([0-9A-HJKMNP-TV-Z]{26})$/;

/** The dispatch a task was started for, from its `startedBy`; undefined for pool workers and others' tasks. */
export function dispatchIdFromStartedBy(startedBy: string | undefined): string | undefined {
  return COLD_START.exec(startedBy ?? '')?.[1];
}
