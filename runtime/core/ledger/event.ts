import * as z from 'zod/mini';
import { AGENT_NAMES } from '../../contracts/agent-names';
import type { EventEntry } from '../dispatch/events';
import { DISPATCH_STATUSES } from '../dispatch/states';

export const LEDGER_EVENT_SOURCE = 'outpost.ledger';
export const DISPATCH_COST = 'DispatchCost';
/** The EMF metric of each dispatch's cost in USD (namespace `Outpost`, dimension `agent`): the dashboard and the spend alarm read it. */
export const DISPATCH_COST_METRIC = 'DispatchCostUsd';

export const FIGURE_UNITS = ['vCPU-hour', 'GB-hour', 'GB-month', 'million tokens'] as const;
export type FigureUnit = (typeof FIGURE_UNITS)[number];

// zod's numbers are finite: Infinity and NaN are refused.
const usd = () => z.number().check(z.nonnegative());
const Figure = z.strictObject({
  quantity: usd(),
  unit: z.enum(FIGURE_UNITS),
  unitPriceUsd: usd(),
  usd: usd(),
});
const TIERS = ['flagship', 'balanced', 'fast'] as const;
/** A model without a price of its own: priced at `referenceModel`'s price times its `tier`'s `multiplier`. */
const TierPricing = {
  tier: z.optional(z.enum(TIERS)),
  referenceModel: z.optional(z.string()),
  multiplier: z.optional(usd()),
};

/** One model's tokens, at that model's rates. */
const ModelCost = z.strictObject({
  /** As the provider reported serving it (or, for an older worker, as the dispatch asked for it). */
  model: z.string().check(z.minLength(1)),
  /** `model` as the table names models (normalizeModelId, after the CLI's alias map). */
  pricedModel: z.string().check(z.minLength(1)),
  pricedAs: z.enum(['model', 'tier']),
  ...TierPricing,
  /** `input` when the table has no cache-write price for the model: its writes are priced as uncached input. */
  cacheWritePricedAs: z.enum(['cacheWrite', 'input']),
  /** Uncached input: every prompt token less cache reads and cache writes. */
  input: Figure,
  cachedInput: Figure,
  cacheWrite: Figure,
  output: Figure,
  usd: usd(),
});

/**
 * The detail of a `DispatchCost` event (`source: outpost.ledger`), checked before it is published. The same
 * contract, for consumers, is schemas/dispatch-cost.schema.json (a test holds the two together).
 */
export const DispatchCostSchema = z.strictObject({
  dispatchId: z.string().check(z.minLength(1)),
  agent: z.enum(AGENT_NAMES),
  requester: z.string().check(z.minLength(1)),
  status: z.enum(DISPATCH_STATUSES as [string, ...string[]]),
  finishedAt: z.optional(z.iso.datetime()),
  currency: z.enum(['USD']),
  priceVersion: z.string().check(z.minLength(1)),
  region: z.string().check(z.minLength(1)),
  compute: z.strictObject({
    basis: z.enum(['task', 'dispatch']),
    capacity: z.enum(['onDemand', 'spot']),
    architecture: z.enum(['x86_64', 'arm64']),
    billedSeconds: z.int().check(z.nonnegative()),
    vcpu: Figure,
    memory: Figure,
  }),
  storage: z.strictObject({
    ephemeral: Figure,
    workspace: Figure,
    /** What the worker measured of a persistent workspace: absent when the workspace is ephemeral or was not measured. */
    workspaceSize: z.optional(z.strictObject({ bytes: z.int().check(z.nonnegative()), complete: z.boolean() })),
  }),
  llm: z.strictObject({
    /** The model the dispatch asked for, as the table names it; null when it never started. Those that ran are in `models`. */
    model: z.nullable(z.string()),
    /** `tier` when any model's tokens were priced by its tier (the total is then an estimate); `none` without a model. */
    pricedAs: z.enum(['model', 'tier', 'none']),
    /** With one model priced (`models` has one entry, or none and the asked model's rates are shown), its tier pricing. */
    ...TierPricing,
    tokenUsageReported: z.boolean(),
    /** Whether the worker reported usage per model that ran; false: the run's total priced as the model asked for (an older worker). */
    perModelUsage: z.boolean(),
    /** The totals over `models`: each `usd` is the sum of theirs, each unit price theirs when one model ran, otherwise `usd / quantity`. */
    input: Figure,
    cachedInput: Figure,
    cacheWrite: Figure,
    output: Figure,
    models: z.array(ModelCost),
  }),
  computeUsd: usd(),
  storageUsd: usd(),
  llmUsd: usd(),
  totalUsd: usd(),
});

export type DispatchCostEvent = z.infer<typeof DispatchCostSchema>;
export type Figure = z.infer<typeof Figure>;
export type ModelCost = z.infer<typeof ModelCost>;

/** Thrown instead of publishing an event that does not match its schema: a bug, kept in the dead-letter queue. */
export class InvalidCostEventError extends Error {
  public readonly name = 'InvalidCostEventError';
}

/** The event's PutEvents entry, once the detail has passed its schema. */
export function costEventEntry(detail: unknown, at: Date): EventEntry {
  const parsed = z.safeParse(DispatchCostSchema, detail);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`).join('; ');
    throw new InvalidCostEventError(`the DispatchCost event does not match its schema: ${problems}`);
  }
  return { Source: LEDGER_EVENT_SOURCE, DetailType: DISPATCH_COST, Detail: JSON.stringify(parsed.data), Time: at };
}
