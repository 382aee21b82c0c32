/**
 * Spending limits per dispatch, enforced by each worker's model gateway on the run's model spending
 * (docs/costs.md, "Budgets"). A run that reaches its limit ends FAILED with reason `BudgetExceeded`.
 */
export interface DispatchBudgetOptions {
  /**
   * The limit, in USD, of a dispatch that names no `maxCostUsd`. A request's own `maxCostUsd` wins, higher or
   * lower: this is a default, not a cap (see `maxCostUsdLimit`).
   * @default - no limit (or `maxCostUsdLimit`, when that is set)
   */
  readonly defaultMaxCostUsd?: number;
  /**
   * The most, in USD, any dispatch may spend on models: a request naming more is refused (400, field
   * `maxCostUsd`), and one naming none gets `defaultMaxCostUsd`, else this.
   * @default - no ceiling: a request may name any limit up to 100000
   */
  readonly maxCostUsdLimit?: number;
}
