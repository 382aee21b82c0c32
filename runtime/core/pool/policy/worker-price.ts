import { LIST_PRICE_TABLE, regionPrices, type Architecture, type ComputeRates } from '../../ledger/pricing';

/** An agent task's size as Fargate bills it. */
export interface WorkerSize {
  readonly vcpu: number;
  readonly memoryGb: number;
  readonly architecture: Architecture;
  /** The share of pool workers on Fargate Spot (x86_64 only). */
  readonly spotShare: number;
}

/** The Region whose list prices stand in where the stack's Region is not known at synth (an environment-agnostic stack). */
export const LIST_PRICE_REGION = 'us-east-1';

/**
 * What one idle worker of `size` costs an hour at the ledger's list prices in `region`, Spot and on demand
 * blended by its share: what the value rule weighs a saved wait against. A Region the table lacks is priced
 * as LIST_PRICE_REGION (Fargate's prices differ by Region by tens of percent, not by multiples).
 */
export function workerUsdPerHour(size: WorkerSize, region: string = LIST_PRICE_REGION): number {
  const known = region in LIST_PRICE_TABLE.fargate ? region : LIST_PRICE_REGION;
  const prices = regionPrices(LIST_PRICE_TABLE, known)[size.architecture];
  const hour = (rates: ComputeRates) => size.vcpu * rates.vcpuHour + size.memoryGb * rates.gbHour;
  return size.spotShare * hour(prices.spot) + (1 - size.spotShare) * hour(prices.onDemand);
}
