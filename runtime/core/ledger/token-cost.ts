import type { DispatchCostEvent, Figure, ModelCost } from './event';
import { figure, round, sum } from './figures';
import { modelRates, type ModelPricing, type PricingTable } from './pricing';
import type { AgentName } from '../../contracts/agent-names';
import type { TokenUsage } from '../../contracts/token-usage';
import type { Dispatch } from '../dispatch/dispatch';
import type { ModelTier } from '../dispatch/request';

const TOKENS_PER_UNIT = 1_000_000;
const TOKEN_FIGURES = ['input', 'cachedInput', 'cacheWrite', 'output'] as const;

/**
 * The model a CLI runs when given `model` (its pinned alias map: `opus` is the current Opus), or `model` itself.
 * The ledger prices an id reported only as an alias through it.
 */
export type ModelAliasResolver = (agent: AgentName, model: string) => string;

export interface TokenCostInput {
  readonly dispatch: Dispatch;
  /** The model of each of the agent's tiers: a model without a price of its own is priced by its tier. */
  readonly tiers: Readonly<Partial<Record<ModelTier, string>>>;
  readonly pricing: PricingTable;
  readonly resolveAlias: ModelAliasResolver;
}

/** What one model consumed, as the pricing reads it. */
interface Usage extends Required<TokenUsage> {
  readonly model: string;
}

/**
 * The `llm` section (docs/costs.md): each model that ran, at its own rates, from the result's `modelUsage`; for a
 * result without it (an older worker), the run's `tokenUsage` as the model the dispatch asked for. The totals
 * are sums of the models' rounded figures.
 */
export function tokenCost(input: TokenCostInput): DispatchCostEvent['llm'] {
  const { dispatch, tiers, pricing, resolveAlias } = input;
  // A dispatch gets its model when it starts: one without never ran, and used no tokens.
  const asked = dispatch.model;
  if (asked === undefined) {
    const none = zeroFigures(undefined);
    return { model: null, pricedAs: 'none', tokenUsageReported: false, perModelUsage: false, ...none, models: [] };
  }
  const priceOf = (model: string, tier: ModelTier | undefined): ModelPricing =>
    modelRates(pricing, resolveAlias(dispatch.agent, model), tier ?? tierOf(model, tiers), tiers.flagship);
  const askedTier = dispatch.modelTier ?? tierOf(asked, tiers);
  const askedPricing = priceOf(asked, askedTier);

  const perModel = dispatch.result?.modelUsage ?? [];
  const total = dispatch.result?.tokenUsage ?? undefined;
  const usages: Usage[] = perModel.length > 0
    ? perModel
    : total === undefined ? [] : [{ model: asked, ...total, cacheWrite: total.cacheWrite ?? 0 }];
  // The asked tier names the model that ran when only one did; of several, each is its own (flagship when unknown).
  const models = usages.map((usage) => modelCost(usage, priceOf(usage.model, usages.length === 1 ? askedTier : undefined)));

  const single = models.length === 1 ? models[0] : undefined;
  const shown: Pick<ModelCost, 'pricedAs' | 'tier' | 'referenceModel' | 'multiplier'> | undefined = models.length === 0 ? tierFields(askedPricing) : single;
  const totals = models.length === 0 ? zeroFigures(askedPricing) : totalFigures(models);
  return {
    model: askedPricing.model,
    pricedAs: models.some((model) => model.pricedAs === 'tier') ? 'tier' : shown?.pricedAs ?? 'model',
    ...(shown?.pricedAs === 'tier' && { tier: shown.tier, referenceModel: shown.referenceModel, multiplier: shown.multiplier }),
    tokenUsageReported: usages.length > 0,
    perModelUsage: perModel.length > 0,
    ...totals,
    models,
  };
}

/** The sum of the `llm` section's models: what the event's `llmUsd` is. */
export function llmUsd(llm: DispatchCostEvent['llm']): number {
  return sum(...llm.models.map((model) => model.usd));
}

/**
 * One model's tokens: uncached input (input less cache reads and writes), cache reads, cache writes, output. The
 * worker's model gateway prices its running spend with it too (runtime/worker/gateway/meter.ts).
 */
export function modelCost(usage: Usage, pricing: ModelPricing): ModelCost {
  const { rates } = pricing;
  const tokens = (count: number, price: number) => figure(count / TOKENS_PER_UNIT, 'million tokens', price);
  const figures = {
    input: tokens(Math.max(0, usage.input - usage.cached - usage.cacheWrite), rates.input),
    cachedInput: tokens(usage.cached, rates.cachedInput),
    cacheWrite: tokens(usage.cacheWrite, rates.cacheWrite ?? rates.input),
    output: tokens(usage.output, rates.output),
  };
  return {
    model: usage.model,
    pricedModel: pricing.model,
    ...tierFields(pricing),
    cacheWritePricedAs: rates.cacheWrite === undefined ? 'input' : 'cacheWrite',
    ...figures,
    usd: sum(...TOKEN_FIGURES.map((name) => figures[name].usd)),
  };
}

function tierFields(pricing: ModelPricing): Pick<ModelCost, 'pricedAs' | 'tier' | 'referenceModel' | 'multiplier'> {
  return pricing.pricedAs === 'tier'
    ? { pricedAs: 'tier', tier: pricing.tier, referenceModel: pricing.referenceModel, multiplier: pricing.multiplier }
    : { pricedAs: 'model' };
}

/** Each token figure over the models: one model's unit price is its own; several's, what a unit cost on average. */
function totalFigures(models: readonly ModelCost[]): Record<(typeof TOKEN_FIGURES)[number], Figure> {
  const total = (name: (typeof TOKEN_FIGURES)[number]): Figure => {
    const quantity = round(models.reduce((value, model) => value + model[name].quantity, 0), 9);
    const usd = sum(...models.map((model) => model[name].usd));
    const unitPriceUsd = models.length === 1 ? models[0][name].unitPriceUsd : quantity > 0 ? round(usd / quantity, 9) : 0;
    return { quantity, unit: 'million tokens', unitPriceUsd, usd };
  };
  return { input: total('input'), cachedInput: total('cachedInput'), cacheWrite: total('cacheWrite'), output: total('output') };
}

/** No tokens: at the asked model's rates, as the event showed before models were listed, or at none. */
function zeroFigures(pricing: ModelPricing | undefined): Record<(typeof TOKEN_FIGURES)[number], Figure> {
  const rates = pricing?.rates;
  const zero = (price: number | undefined) => figure(0, 'million tokens', price ?? 0);
  return {
    input: zero(rates?.input),
    cachedInput: zero(rates?.cachedInput),
    cacheWrite: zero(rates === undefined ? undefined : rates.cacheWrite ?? rates.input),
    output: zero(rates?.output),
  };
}

/** The tier an agent maps `model` to, if it is one of the agent's. */
export function tierOf(model: string, tiers: TokenCostInput['tiers']): ModelTier | undefined {
  return (Object.entries(tiers) as Array<[ModelTier, string]>).find(([, name]) => name === model)?.[0];
}
