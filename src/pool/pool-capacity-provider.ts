/**
 * The capacity providers a pool worker runs on, as ECS names them in a task's `capacityProviderName` and as the
 * scaler's `ColdStartSeconds` metric names them in its `capacityProvider` dimension. The platform's cluster
 * has Fargate's two (OutpostCluster enables them); a pool launches on Spot for its `spotShare` and on Fargate
 * for the rest, or when Spot has no room.
 */
export enum PoolCapacityProvider {
  /** Fargate, on demand. */
  FARGATE = 'FARGATE',
  /** Fargate Spot. */
  FARGATE_SPOT = 'FARGATE_SPOT',
}
