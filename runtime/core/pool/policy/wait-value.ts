/**
 * What an hour of waiting for a cold start is worth, USD: the yardstick the pool's policy and the simulator
 * weigh idle workers against (docs/pool.md, "What a wait costs"). An engineer's loaded hour is about this;
 * a pipeline's wait is worth less, an on-call engineer's more: set `WarmPoolProps.waitValue` to your own.
 */
export const DEFAULT_WAIT_VALUE_USD_PER_HOUR = 60;

/** The money a policy's choice costs: what Fargate bills, plus the waits at `waitValueUsdPerHour`. */
export function totalCostUsd(fargateUsd: number, waitHours: number, waitValueUsdPerHour: number): number {
  return fargateUsd + waitValueUsdPerHour * waitHours;
}
