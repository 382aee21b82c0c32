import LIST_PRICES from './pricing/prices.json';
import type { ModelTier } from '../dispatch/request';

/** Fargate's CPU architectures, as ECS names them (`ecs.cpu-architecture`). */
export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];
export const CAPACITIES = ['onDemand', 'spot'] as const;
export type Capacity = (typeof CAPACITIES)[number];

export interface ComputeRates {
  readonly vcpuHour: number;
  readonly gbHour: number;
}

/** One Region's prices (docs/costs.md says where each comes from). */
export interface RegionPrices {
  readonly x86_64: Readonly<Record<Capacity, ComputeRates>>;
  readonly arm64: Readonly<Record<Capacity, ComputeRates>>;
  /** Ephemeral storage above the free amount, per GB-hour. */
  readonly ephemeralGbHour: number;
  /** EFS Standard storage, per GB-month: a persistent workspace's storage. */
  readonly efsGbMonth: number;
}

/** USD per million tokens. `cachedInput` is the price of a prompt-cache read. */
export interface ModelRates {
  readonly input: number;
  readonly output: number;
  readonly cachedInput: number;
  /** A prompt-cache write, where the provider bills it above input (Anthropic: 1.25×); absent, writes are priced as `input`. */
  readonly cacheWrite?: number;
}

/** The pricing table (schemas/ledger-pricing.schema.json): data, versioned, with the date it was read. */
export interface PricingTable {
  readonly version: string;
  readonly retrieved: string;
  readonly currency: 'USD';
  readonly fargate: Readonly<Record<string, RegionPrices>>;
  /** Fargate includes this much ephemeral storage in every task. */
  readonly ephemeralFreeGb: number;
  /** Applied to the reference price for a model the table has no price for (see `modelRates`). */
  readonly tierMultipliers: Readonly<Record<ModelTier, number>>;
  /** The reference when the agent's own flagship model has no price either. */
  readonly referenceModel: string;
  readonly models: Readonly<Record<string, ModelRates>>;
}

/** What pricing models needs of the table: what a worker's budget is priced with (runtime/core/handoff/budget.ts). */
export type ModelPriceTable = Pick<PricingTable, 'models' | 'tierMultipliers' | 'referenceModel'>;

/** A consumer's prices over the list prices (the construct's `LedgerPricing`), passed in the handler's configuration. */
export interface PricingOverrides {
  /** Appended to the table's version (`2025-11-01+<label>`), so every event says which prices it used. */
  readonly label: string;
  readonly compute?: ReadonlyArray<{ readonly region: string; readonly architecture: Architecture; readonly capacity: Capacity } & ComputeRates>;
  readonly storage?: ReadonlyArray<{ readonly region: string; readonly ephemeralGbHour: number; readonly efsGbMonth: number }>;
  readonly models?: ReadonlyArray<{ readonly model: string } & ModelRates>;
}

/** The list prices this release ships. */
export const LIST_PRICE_TABLE: PricingTable = LIST_PRICES as PricingTable;

/** Thrown for a Region the table has no prices for: the event is not published rather than priced wrong. */
export class UnknownRegionError extends Error {
  public readonly name = 'UnknownRegionError';

  constructor(region: string, table: PricingTable) {
    super(`the pricing table ${table.version} has no Fargate prices for ${region} (it has ${Object.keys(table.fargate).join(', ')}): add them with LedgerPricing.withOverrides`);
  }
}

/**
 * The table with the overrides applied. A Region the table lacks needs all of its prices (both architectures,
 * both capacities, and storage): what is missing throws, at synth (the construct checks) and here.
 */
export function applyOverrides(table: PricingTable, overrides: PricingOverrides | undefined): PricingTable {
  if (!overrides) {
    return table;
  }
  const fargate: Record<string, Partial<Record<Architecture, Partial<Record<Capacity, ComputeRates>>>> & Partial<Pick<RegionPrices, 'ephemeralGbHour' | 'efsGbMonth'>>> =
    structuredClone(table.fargate) as never;
  for (const { region, ephemeralGbHour, efsGbMonth } of overrides.storage ?? []) {
    fargate[region] = { ...fargate[region], ephemeralGbHour, efsGbMonth };
  }
  for (const { region, architecture, capacity, vcpuHour, gbHour } of overrides.compute ?? []) {
    const prices = fargate[region] ??= {};
    prices[architecture] = { ...prices[architecture], [capacity]: { vcpuHour, gbHour } };
  }
  for (const [region, prices] of Object.entries(fargate)) {
    const missing = [
      ...ARCHITECTURES.flatMap((architecture) => CAPACITIES.filter((capacity) => !prices[architecture]?.[capacity]).map((capacity) => `${architecture} ${capacity}`)),
      ...(['ephemeralGbHour', 'efsGbMonth'] as const).filter((name) => prices[name] === undefined),
    ];
    if (missing.length > 0) {
      throw new Error(`the pricing overrides leave ${region} without prices for ${missing.join(', ')}`);
    }
  }
  return {
    ...table,
    version: `${table.version}+${overrides.label}`,
    fargate: fargate as Record<string, RegionPrices>,
    models: overrideModels(table.models, overrides.models),
  };
}

/** The table's model prices with the overrides' (by the table's model id): what `applyOverrides` prices models at. */
export function overrideModels(models: PricingTable['models'], overrides: PricingOverrides['models']): PricingTable['models'] {
  return { ...models, ...Object.fromEntries((overrides ?? []).map(({ model, ...rates }) => [normalizeModelId(model), rates])) };
}

export function regionPrices(table: PricingTable, region: string): RegionPrices {
  const prices = table.fargate[region];
  if (!prices) {
    throw new UnknownRegionError(region, table);
  }
  return prices;
}

/** How a model was priced: at its own price, or at the reference price times its tier's multiplier. */
export type ModelPricing =
  | { readonly pricedAs: 'model'; readonly model: string; readonly rates: ModelRates }
  | { readonly pricedAs: 'tier'; readonly model: string; readonly tier: ModelTier; readonly referenceModel: string; readonly multiplier: number; readonly rates: ModelRates };

/**
 * The price of `model`. A model the table lacks is priced as `tier` (the flagship's when unknown: the higher
 * estimate) times the reference: the agent's flagship model when the table prices it, the table's
 * `referenceModel` otherwise.
 */
export function modelRates(table: ModelPriceTable, model: string, tier: ModelTier | undefined, agentFlagship: string | undefined): ModelPricing {
  const id = normalizeModelId(model);
  const own = table.models[id];
  if (own) {
    return { pricedAs: 'model', model: id, rates: own };
  }
  return tierEstimate(table, id, tier, agentFlagship);
}

/** The estimate for a model the table has no price for: `tier` (flagship when unknown) times the reference price. */
export function tierEstimate(table: ModelPriceTable, id: string, tier: ModelTier | undefined, agentFlagship: string | undefined): ModelPricing & { readonly pricedAs: 'tier' } {
  const flagship = agentFlagship === undefined ? undefined : normalizeModelId(agentFlagship);
  const referenceModel = flagship !== undefined && table.models[flagship] ? flagship : table.referenceModel;
  const reference = table.models[referenceModel];
  const priceTier = tier ?? 'flagship';
  const multiplier = table.tierMultipliers[priceTier];
  return {
    pricedAs: 'tier',
    model: id,
    tier: priceTier,
    referenceModel,
    multiplier,
    rates: {
      input: reference.input * multiplier,
      output: reference.output * multiplier,
      cachedInput: reference.cachedInput * multiplier,
      ...(reference.cacheWrite !== undefined && { cacheWrite: reference.cacheWrite * multiplier }),
    },
  };
}

/** Geography prefixes of Bedrock's cross-Region inference profiles (src/agents/bedrock-model.ts). */
const BEDROCK_PROFILE = /^(us|eu|apac|us-gov|jp|au|global)\./;

/**
 * The table's name for a model as an agent names it or a provider reports serving it: LiteLLM's
 * `anthropic/claude-sonnet-4-5` (Aider), Gemini's `models/gemini-2.5-pro`, Anthropic's dated
 * `claude-sonnet-4-5-20250929`, Vertex's `claude-sonnet-4-5@20250929`, OpenAI's dated `gpt-5-2025-08-07`, and
 * Bedrock's `us.anthropic.claude-sonnet-4-5-20250929-v1:0` (or that profile's ARN) are `claude-sonnet-4-5`,
 * `gemini-2.5-pro`, `gpt-5`.
 */
export function normalizeModelId(model: string): string {
  return model
    .trim()
    .toLowerCase()
    // Every path segment: LiteLLM's provider (`openrouter/anthropic/…` has two), Gemini's `models/`, an ARN's resource.
    .replace(/^.*\//, '')
    .replace(BEDROCK_PROFILE, '')
    .replace(/^anthropic\./, '')
    .replace(/-v\d+(:\d+)?$/, '')
    .replace(/(-|@)\d{8}$/, '')
    .replace(/-\d{4}-\d{2}-\d{2}$/, '');
}
