import type { Assignment } from '../../contracts/assignment';
import type { ModelTier } from '../dispatch/request';
import { tierEstimate, type ModelPriceTable } from '../ledger/pricing';
import { tierOf } from '../ledger/token-cost';

/** What a budget needs of a dispatch: its limit, and the model and tier it asked for. */
export interface BudgetDispatch {
  readonly maxCostUsd?: number;
  /** The model it runs (resolved at hand-off). */
  readonly model: string;
  readonly modelTier?: ModelTier;
}

/**
 * The assignment's `budget` for a dispatch with a limit (none without): every model of the table at the price
 * the ledger will charge, keyed by the table's id, and for a served model the table lacks, the estimate the
 * ledger uses for one model that ran: the asked tier (the dispatch's `modelTier`, else the tier whose model it
 * names, else flagship) times the reference price (runtime/core/ledger/token-cost.ts).
 */
export function assignmentBudget(
  dispatch: BudgetDispatch,
  prices: ModelPriceTable,
  tiers: Readonly<Partial<Record<ModelTier, string>>>,
): Assignment['budget'] {
  if (dispatch.maxCostUsd === undefined) {
    return undefined;
  }
  const tier = dispatch.modelTier ?? tierOf(dispatch.model, tiers);
  return {
    maxCostUsd: dispatch.maxCostUsd,
    rates: { ...prices.models },
    fallbackRates: tierEstimate(prices, dispatch.model, tier, tiers.flagship).rates,
  };
}
