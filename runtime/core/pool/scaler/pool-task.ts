/** A pool worker's task (`startedBy outpost/pool`) as ECS describes it. */
export interface PoolTask {
  readonly taskArn: string;
  readonly taskId: string;
  /** Its `outpost:agent` tag; undefined for a task without one. */
  readonly agent?: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  /** HEALTHY or UNHEALTHY once the worker's container health check has run; UNKNOWN or absent before. */
  readonly healthStatus?: string;
  /** When ECS created it, epoch milliseconds. */
  readonly createdAt?: number;
  /** FARGATE or FARGATE_SPOT. */
  readonly capacityProvider?: string;
  readonly privateIp?: string;
}
