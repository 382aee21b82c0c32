import type { Assignment } from '../../contracts/assignment';
import type { ModelUsage } from '../../contracts/token-usage';
import { normalizeModelId } from '../../core/ledger/pricing';
import { modelCost } from '../../core/ledger/token-cost';
import { usageByModel } from '../agents/usage';

export type Budget = NonNullable<Assignment['budget']>;

/**
 * The run's usage per model, as the gateway read it from the provider's responses, and its spend at the rates the
 * control plane sent with the budget: priced by the ledger's own `modelCost`, keyed as its table is
 * (`normalizeModelId`), so that the figure that stops a run is the one its cost event will show.
 */
export class Meter {
  /** Per model, in the order first served: merged as each response is read, so that recording stays cheap. */
  private readonly models = new Map<string, ModelUsage>();
  private spent = 0;

  public constructor(private readonly budget: Budget | undefined) {}

  public record(usage: readonly ModelUsage[]): void {
    if (usage.length === 0) {
      return;
    }
    for (const report of usageByModel(usage) ?? []) {
      const before = this.models.get(report.model);
      this.models.set(report.model, before ? usageByModel([before, report])![0] : report);
    }
    if (this.budget) {
      this.spent = [...this.models.values()].reduce((total, model) => total + this.priced(model), 0);
    }
  }

  /** Per model, in the order first served; null when no response reported usage. */
  public usage(): ModelUsage[] | null {
    return this.models.size > 0 ? [...this.models.values()] : null;
  }

  /** USD at the budget's rates; 0 without a budget, which brings no rates. */
  public get spentUsd(): number {
    return Math.round(this.spent * 1e6) / 1e6;
  }

  public get limitUsd(): number | undefined {
    return this.budget?.maxCostUsd;
  }

  /** The spend reached the limit: no further request is forwarded. */
  public get exceeded(): boolean {
    return this.budget !== undefined && this.spent >= this.budget.maxCostUsd;
  }

  private priced(usage: ModelUsage): number {
    const budget = this.budget!;
    const model = normalizeModelId(usage.model);
    return modelCost(usage, { pricedAs: 'model', model, rates: budget.rates[model] ?? budget.fallbackRates }).usd;
  }
}
