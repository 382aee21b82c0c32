import * as z from 'zod/mini';
import { overrideModels, type ModelPriceTable, type PricingOverrides } from './pricing';
import { models, referenceModel, tierMultipliers } from './pricing/prices.json';

/**
 * The list prices of models alone, for the handlers that build assignments: named imports, so that the bundle
 * carries only these parts of the table (esbuild drops the JSON's other top-level fields), not Fargate's prices
 * and every price's sources.
 */
export const LIST_MODEL_PRICES: ModelPriceTable = { models, referenceModel, tierMultipliers };

const price = () => z.number().check(z.nonnegative());

/** `OUTPOST_MODEL_PRICES`: the model prices of the platform's `LedgerPricing` overrides, as the ledger gets them. */
const ModelOverridesSchema = z.array(z.object({
  model: z.string(), input: price(), output: price(), cachedInput: price(), cacheWrite: z.optional(price()),
}));

/**
 * The prices the ledger will price a run's models at: the list prices with the platform's model overrides
 * (`applyOverrides` does the same for the ledger). `raw` is the environment's value; absent, the list prices. A
 * malformed value is a deployment bug, so it throws.
 */
export function modelPrices(raw: string | undefined): ModelPriceTable {
  if (raw === undefined || raw === '') {
    return LIST_MODEL_PRICES;
  }
  const parsed = z.safeParse(ModelOverridesSchema, JSON.parse(raw));
  if (!parsed.success) {
    throw new Error(`OUTPOST_MODEL_PRICES does not match what the hand-off expects: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const overrides: PricingOverrides['models'] = parsed.data;
  return { ...LIST_MODEL_PRICES, models: overrideModels(LIST_MODEL_PRICES.models, overrides) };
}
