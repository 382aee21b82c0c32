import { modelPrices } from '../core/ledger/model-prices';
import type { ModelPriceTable } from '../core/ledger/pricing';

let prices: ModelPriceTable | undefined;

/**
 * The model prices of the handlers that build assignments (`lifecycleDeps({ modelPrices: handoffModelPrices })`):
 * the list prices with the platform's overrides (`OUTPOST_MODEL_PRICES`, set on those functions alone), read
 * once per execution environment.
 */
export function handoffModelPrices(): ModelPriceTable {
  prices ??= modelPrices(process.env.OUTPOST_MODEL_PRICES);
  return prices;
}
