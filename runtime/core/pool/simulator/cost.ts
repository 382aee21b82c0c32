import type { PolicyResult } from './summary';
import { totalCostUsd } from '../policy/wait-value';

/**
 * The wait a failed start counts as, seconds. The dispatch never ran: whoever sent it learns that it failed,
 * sends it again and waits for a cold start once more. Ten minutes is deliberately more than any cold start
 * (45 to 90 s by default) plus the launcher's retries (about 3 s), so that failing is never cheaper than waiting.
 */
export const FAILED_START_WAIT_SECONDS = 10 * 60;

/** What one policy's choice costs over the trace (docs/pool.md, "What a wait costs"). */
export interface PolicyCost {
  /** Every dispatch's wait, from its creation to its run starting, summed, in hours; a failed start counts as {@link FAILED_START_WAIT_SECONDS}. */
  readonly waitHours: number;
  /** What Fargate bills for the run's tasks: the result's `costUsd`. */
  readonly fargateUsd: number;
  /** What an hour of waiting is worth, USD: the yardstick the waits are priced at. */
  readonly waitValueUsdPerHour: number;
  /** `fargateUsd + waitValueUsdPerHour × waitHours`. */
  readonly totalCostUsd: number;
}

/** A policy's result and what it costs. */
export type CostedResult = PolicyResult & PolicyCost;

/** What a result costs with its waits priced at `waitValueUsdPerHour`. */
export function policyCost(result: Pick<PolicyResult, 'costUsd'>, waitHours: number, waitValueUsdPerHour: number): PolicyCost {
  return {
    waitHours,
    fargateUsd: result.costUsd,
    waitValueUsdPerHour,
    totalCostUsd: totalCostUsd(result.costUsd, waitHours, waitValueUsdPerHour),
  };
}

/** `result` with what it costs: its waits priced at `waitValueUsdPerHour`. */
export function withCost<T extends PolicyResult>(result: T, waitValueUsdPerHour: number): T & PolicyCost {
  return { ...result, ...policyCost(result, result.waitHours, waitValueUsdPerHour) };
}
