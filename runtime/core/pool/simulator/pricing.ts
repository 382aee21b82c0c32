/** Fargate's price of one task size, per hour. */
export interface FargatePricing {
  readonly vcpu: number;
  readonly memoryGb: number;
  /** Linux/ARM (arm64, Graviton) on-demand in us-east-1, USD. */
  readonly onDemand: { readonly perVcpuHour: number; readonly perGbHour: number };
  /** Fargate Spot, USD: its price moves with spare capacity; see docs/pool.md. */
  readonly spot: { readonly perVcpuHour: number; readonly perGbHour: number };
  /** The share of task-hours billed at Spot prices. */
  readonly spotShare: number;
}

/** AWS's "up to 70%" Spot discount, applied to the on-demand arm64 rates: an assumption, not a quote. */
const SPOT_DISCOUNT = 0.7;
const ARM64_ON_DEMAND = { perVcpuHour: 0.03238, perGbHour: 0.00356 };

/** 1 vCPU and 4 GB, arm64, us-east-1 on-demand prices as published on the Fargate pricing page (March 2026). */
export const DEFAULT_PRICING: FargatePricing = {
  vcpu: 1,
  memoryGb: 4,
  onDemand: ARM64_ON_DEMAND,
  spot: { perVcpuHour: ARM64_ON_DEMAND.perVcpuHour * (1 - SPOT_DISCOUNT), perGbHour: ARM64_ON_DEMAND.perGbHour * (1 - SPOT_DISCOUNT) },
  spotShare: 0,
};

/** One task's price per hour, Spot and on-demand blended by `spotShare`. */
export function taskHourPrice(pricing: FargatePricing): number {
  const rate = (prices: FargatePricing['onDemand']) => pricing.vcpu * prices.perVcpuHour + pricing.memoryGb * prices.perGbHour;
  return pricing.spotShare * rate(pricing.spot) + (1 - pricing.spotShare) * rate(pricing.onDemand);
}
