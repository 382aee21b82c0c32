import { LIST_PRICE_TABLE, regionPrices, type Architecture, type ComputeRates } from '../../ledger/pricing';
import { spotRuns } from '../capacity-plan';

/** Fargate's price of one task size, per hour. */
export interface FargatePricing {
  readonly vcpu: number;
  readonly memoryGb: number;
  /** The task's CPU architecture: Fargate Spot runs only x86_64 tasks. */
  readonly architecture: Architecture;
  /** On demand, for `architecture`, USD. */
  readonly onDemand: { readonly perVcpuHour: number; readonly perGbHour: number };
  /** Fargate Spot, USD (x86_64 only): its price moves with spare capacity; see docs/pool.md. */
  readonly spot?: { readonly perVcpuHour: number; readonly perGbHour: number };
  /** The share of task-hours billed at Spot prices: above 0 only where there is a Spot price. */
  readonly spotShare: number;
}

/** The simulator's Region: the ledger's list prices for it (runtime/core/ledger/pricing/prices.json). */
const REGION = 'us-east-1';

const perHour = (rates: ComputeRates) => ({ perVcpuHour: rates.vcpuHour, perGbHour: rates.gbHour });

/**
 * 1 vCPU and 4 GB in us-east-1 at the ledger's list prices: on demand for `architecture`, and Spot (its
 * estimate, 70% off x86_64 on demand) only for x86_64, since Fargate Spot does not run arm64 tasks.
 */
export function fargatePricing(architecture: Architecture, spotShare = 0): FargatePricing {
  const prices = regionPrices(LIST_PRICE_TABLE, REGION)[architecture];
  const spot = spotRuns(architecture) ? { spot: perHour(prices.spot) } : {};
  return { vcpu: 1, memoryGb: 4, architecture, onDemand: perHour(prices.onDemand), ...spot, spotShare };
}

/** The agent tasks' default: arm64 (Graviton), all on demand. */
export const DEFAULT_PRICING: FargatePricing = fargatePricing('arm64');

/** One task's price per hour, Spot and on-demand blended by `spotShare`. */
export function taskHourPrice(pricing: FargatePricing): number {
  if (pricing.spotShare > 0 && !pricing.spot) {
    throw new RangeError(`a Spot share of ${pricing.spotShare} has no price: Fargate Spot does not run ${pricing.architecture} tasks; price x86_64 for Spot (fargatePricing('x86_64', share))`);
  }
  const rate = (prices: FargatePricing['onDemand']) => pricing.vcpu * prices.perVcpuHour + pricing.memoryGb * prices.perGbHour;
  return (pricing.spot ? pricing.spotShare * rate(pricing.spot) : 0) + (1 - pricing.spotShare) * rate(pricing.onDemand);
}
