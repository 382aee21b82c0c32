import type { ApiError } from './api-error';

/**
 * The platform's budget settings (OUTPOST_CONFIG `budget`, from the platform's `defaultMaxCostUsd` and
 * `maxCostUsdLimit` props).
 */
export interface BudgetPolicy {
  /** A dispatch that names no `maxCostUsd` gets this one. Absent: no limit (or the ceiling, when there is one). */
  readonly defaultMaxCostUsd?: number;
  /** No dispatch may name more, and one that names none gets at most this. Absent: no ceiling. */
  readonly maxCostUsdLimit?: number;
}

export type BudgetDecision =
  | { readonly ok: true; readonly maxCostUsd?: number }
  | { readonly ok: false; readonly error: ApiError };

/**
 * The limit a dispatch runs under. The request's own value wins over the platform default, up or down: the
 * default is what a caller gets for not choosing, not a cap. Only `maxCostUsdLimit` caps, and a request above it
 * is refused (400, naming the field) rather than silently lowered, so that no caller believes it has a budget it
 * has not.
 */
export function dispatchBudget(requested: number | undefined, policy: BudgetPolicy | undefined): BudgetDecision {
  const limit = policy?.maxCostUsdLimit;
  if (requested !== undefined && limit !== undefined && requested > limit) {
    return {
      ok: false,
      error: {
        status: 400,
        code: 'InvalidField',
        field: 'maxCostUsd',
        message: `maxCostUsd must be at most ${limit}, this platform's limit per dispatch: ask for less, or ask the platform team to raise maxCostUsdLimit`,
      },
    };
  }
  const maxCostUsd = requested ?? policy?.defaultMaxCostUsd ?? limit;
  return maxCostUsd === undefined ? { ok: true } : { ok: true, maxCostUsd };
}
