import * as z from 'zod/mini';
import { requireEnv } from '../../environment';
import { poolConfig, type PoolConfig } from '../policy/config';

/**
 * One agent's pool as the WarmPool construct configures it (OUTPOST_POOLS): whether it runs, and the fields of
 * its PoolConfig that were set; the policy core's defaults fill the rest.
 */
const AgentPoolSchema = z.object({
  enabled: z.boolean(),
  minIdle: z.optional(z.number()),
  maxWorkers: z.optional(z.number()),
  idleTimeoutSeconds: z.optional(z.number()),
  schedules: z.optional(z.array(z.object({ cron: z.string(), timeZone: z.string(), minIdle: z.number() }))),
  spotShare: z.optional(z.number()),
  targetWarmRatio: z.optional(z.number()),
  waitValueUsdPerHour: z.optional(z.number()),
  workerUsdPerHour: z.optional(z.number()),
});

export interface AgentPool {
  /** False: the pool is drained and nothing is started. */
  readonly enabled: boolean;
  readonly config: PoolConfig;
}

/** Every agent's pool, by agent name; a malformed or invalid value is a deployment bug, so it throws. */
export function loadPools(raw: string = requireEnv('OUTPOST_POOLS')): Record<string, AgentPool> {
  const parsed = z.parse(z.record(z.string(), AgentPoolSchema), JSON.parse(raw));
  return Object.fromEntries(Object.entries(parsed).map(([agent, { enabled, ...fields }]) => {
    const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    try {
      return [agent, { enabled, config: poolConfig(given) }];
    } catch (error) {
      throw new Error(`OUTPOST_POOLS: the ${agent} pool: ${(error as Error).message}`);
    }
  }));
}
