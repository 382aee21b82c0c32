import * as z from 'zod/mini';
import { ARCHITECTURES, CAPACITIES } from './pricing';
import { requireEnv } from '../environment';

const price = () => z.number().check(z.nonnegative());

const LedgerConfigSchema = z.object({
  /** The ledger table: running totals and a marker per priced dispatch. */
  table: z.string(),
  /** Each agent's task size, for a run whose task reported none. */
  agents: z.record(z.string(), z.object({ cpu: z.number(), memoryMiB: z.number(), ephemeralStorageGiB: z.number() })),
  /** The platform's prices over the list prices (the construct's `LedgerPricing`). */
  pricing: z.optional(z.object({
    label: z.string(),
    compute: z.optional(z.array(z.object({
      region: z.string(), architecture: z.enum(ARCHITECTURES), capacity: z.enum(CAPACITIES), vcpuHour: price(), gbHour: price(),
    }))),
    storage: z.optional(z.array(z.object({ region: z.string(), ephemeralGbHour: price(), efsGbMonth: price() }))),
    models: z.optional(z.array(z.object({
      model: z.string(), input: price(), output: price(), cachedInput: price(), cacheWrite: z.optional(price()),
    }))),
  })),
});

export type LedgerConfig = z.infer<typeof LedgerConfigSchema>;

/**
 * The ledger handlers' own configuration (OUTPOST_LEDGER, set by the LedgerBridge construct), beside the
 * platform's (OUTPOST_CONFIG). A malformed value is a deployment bug, so it throws.
 */
export function loadLedgerConfig(raw: string = requireEnv('OUTPOST_LEDGER')): LedgerConfig {
  const parsed = z.safeParse(LedgerConfigSchema, JSON.parse(raw));
  if (!parsed.success) {
    throw new Error(`OUTPOST_LEDGER does not match what the ledger expects: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}
