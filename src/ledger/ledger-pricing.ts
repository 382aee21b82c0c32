import { Token } from 'aws-cdk-lib';
import { requireProp } from '../core/validation';

/** Fargate's CPU architectures, as the pricing table names them. */
export enum FargateArchitecture {
  X86_64 = 'x86_64',
  ARM64 = 'arm64',
}

/** Fargate's capacity providers, as the pricing table names them. */
export enum FargateCapacity {
  ON_DEMAND = 'onDemand',
  SPOT = 'spot',
}

/** The price of Fargate compute in one Region, for one architecture and capacity. */
export interface FargateComputePrice {
  /** e.g. `eu-west-1`. */
  readonly region: string;
  readonly architecture: FargateArchitecture;
  readonly capacity: FargateCapacity;
  /** USD per vCPU-hour. */
  readonly vcpuHourUsd: number;
  /** USD per GB-hour of memory. */
  readonly gbHourUsd: number;
}

/** The storage prices of one Region. */
export interface RegionStoragePrice {
  readonly region: string;
  /** Fargate ephemeral storage above the free 20 GB, USD per GB-hour. */
  readonly ephemeralGbHourUsd: number;
  /** EFS Standard storage (persistent workspaces), USD per GB-month. */
  readonly efsGbMonthUsd: number;
}

/** A model's price, USD per million tokens. */
export interface ModelPrice {
  /** As the agent names it (`claude-sonnet-4-5`, `anthropic/claude-sonnet-4-5`, a Bedrock id): the provider prefix and Bedrock version are ignored. */
  readonly model: string;
  readonly inputPerMillionUsd: number;
  readonly outputPerMillionUsd: number;
  /** Prompt-cache reads. */
  readonly cachedInputPerMillionUsd: number;
  /**
   * Prompt-cache writes, where the provider bills them above input (Anthropic: 1.25× input for a 5-minute write).
   * An override replaces all of the model's list prices, this one included.
   * @default - cache writes are priced as `inputPerMillionUsd`
   */
  readonly cacheWritePerMillionUsd?: number;
}

/** Prices that replace or add to the list prices. */
export interface LedgerPriceOverrides {
  /**
   * Names these prices: every cost event says `priceVersion: <table version>+<label>`. Lower-case letters,
   * digits, `.` and `-`, at most 32.
   */
  readonly label: string;
  /** A Region the table lacks needs all four (both architectures, both capacities) and its storage. @default - none */
  readonly compute?: FargateComputePrice[];
  /** @default - none */
  readonly storage?: RegionStoragePrice[];
  /** @default - none */
  readonly models?: ModelPrice[];
}

const LABEL = /^[a-z0-9][a-z0-9.-]{0,31}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * The prices the ledger uses (docs/costs.md): the list prices this release ships (a versioned table), or those
 * with your own over them (an enterprise discount, your Region's current Fargate Spot price, a Region the table
 * lacks, a new model).
 *
 * @example
 * LedgerPricing.withOverrides({
 *   label: 'acme-edp',
 *   models: [{ model: 'claude-sonnet-4-5', inputPerMillionUsd: 2.7, outputPerMillionUsd: 13.5, cachedInputPerMillionUsd: 0.27 }],
 * });
 */
export class LedgerPricing {
  /**
   * The prices of the table this release ships: list prices, except Fargate Spot, estimated at 30% of on-demand
   * (docs/costs.md gives each price's source).
   */
  public static listPrices(): LedgerPricing {
    return new LedgerPricing(undefined);
  }

  /** The list prices with `overrides` over them. */
  public static withOverrides(overrides: LedgerPriceOverrides): LedgerPricing {
    const owner = 'LedgerPricing';
    requireProp(LABEL.test(overrides.label), owner, 'label', `must be lower-case letters, digits, "." and "-" (at most 32), got "${overrides.label}"`, 'Name the prices, e.g. "acme-2026".');
    const prices: Array<[string, number]> = [
      ...(overrides.compute ?? []).flatMap((price) => [[`compute ${price.region} vcpuHourUsd`, price.vcpuHourUsd], [`compute ${price.region} gbHourUsd`, price.gbHourUsd]] as Array<[string, number]>),
      ...(overrides.storage ?? []).flatMap((price) => [[`storage ${price.region} ephemeralGbHourUsd`, price.ephemeralGbHourUsd], [`storage ${price.region} efsGbMonthUsd`, price.efsGbMonthUsd]] as Array<[string, number]>),
      ...(overrides.models ?? []).flatMap((price) => [
        [`model ${price.model} inputPerMillionUsd`, price.inputPerMillionUsd],
        [`model ${price.model} outputPerMillionUsd`, price.outputPerMillionUsd],
        [`model ${price.model} cachedInputPerMillionUsd`, price.cachedInputPerMillionUsd],
        ...(price.cacheWritePerMillionUsd === undefined ? [] : [[`model ${price.model} cacheWritePerMillionUsd`, price.cacheWritePerMillionUsd]]),
      ] as Array<[string, number]>),
    ];
    for (const [name, price] of prices) {
      requireProp(Token.isUnresolved(price) || (Number.isFinite(price) && price >= 0), owner, name, `must be a price in USD, zero or more, got ${price}`, 'Give the price as a number.');
    }
    for (const { region } of [...overrides.compute ?? [], ...overrides.storage ?? []]) {
      requireProp(REGION.test(region), owner, 'region', `must be an AWS Region such as "eu-west-1", got "${region}"`, 'Name the Region the prices are for.');
    }
    return new LedgerPricing({
      label: overrides.label,
      compute: overrides.compute?.map((price) => ({
        region: price.region, architecture: price.architecture, capacity: price.capacity, vcpuHour: price.vcpuHourUsd, gbHour: price.gbHourUsd,
      })),
      storage: overrides.storage?.map((price) => ({
        region: price.region, ephemeralGbHour: price.ephemeralGbHourUsd, efsGbMonth: price.efsGbMonthUsd,
      })),
      models: overrides.models?.map((price) => ({
        model: price.model,
        input: price.inputPerMillionUsd,
        output: price.outputPerMillionUsd,
        cachedInput: price.cachedInputPerMillionUsd,
        ...(price.cacheWritePerMillionUsd !== undefined && { cacheWrite: price.cacheWritePerMillionUsd }),
      })),
    });
  }

  /**
   * The overrides as the ledger's configuration carries them (runtime/core/ledger/config.ts).
   * @internal
   */
  public readonly _overrides?: Record<string, unknown>;

  private constructor(overrides: Record<string, unknown> | undefined) {
    this._overrides = overrides;
  }
}
