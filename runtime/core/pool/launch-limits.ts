/**
 * Fargate's launch limits per account and Region (AWS docs, "AWS Fargate throttling quotas"): RunTask accepts 20
 * calls a second (burst and sustained), each starting at most 10 tasks, and task launches draw on a token bucket
 * of 100 refilled at 20 a second. Everything that starts tasks in the account shares them.
 */
export interface LaunchLimits {
  readonly callsPerSecond: number;
  readonly tasksPerCall: number;
  readonly bucketSize: number;
  readonly refillPerSecond: number;
}

export const FARGATE_LAUNCH_LIMITS: LaunchLimits = { callsPerSecond: 20, tasksPerCall: 10, bucketSize: 100, refillPerSecond: 20 };
