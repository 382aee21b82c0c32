import { poolConfig, type PoolConfig } from '../../../../runtime/core/pool/policy/config';
import type { PolicyInput, PolicyTrigger, PoolDecision, PoolSnapshot } from '../../../../runtime/core/pool/policy/policy';

/** Monday 2 March 2026, 10:00 UTC. */
export const NOW = Date.parse('2026-03-02T10:00:00Z');
export const MINUTE = 60_000;

/** `count` idle workers, `w1` idle longest, each idle a minute less than the one before. */
export function idleWorkers(count: number, longestIdleMinutes = count): PoolSnapshot['idle'] {
  return Array.from({ length: count }, (_, index) => ({ taskId: `w${index + 1}`, idleSince: NOW - (longestIdleMinutes - index) * MINUTE }));
}

/** `perHour` arrivals an hour, evenly spread over the `minutes` before NOW. */
export function evenArrivals(perHour: number, minutes = 60): number[] {
  const count = Math.round((perHour * minutes) / 60);
  return Array.from({ length: count }, (_, index) => NOW - ((count - index) * minutes * MINUTE) / count + 1);
}

export function input(fields: {
  readonly pool?: Partial<PoolSnapshot>;
  readonly arrivals?: readonly number[];
  readonly coldStartSeconds?: readonly number[];
  readonly config?: Partial<PoolConfig>;
  readonly trigger?: PolicyTrigger;
  readonly now?: number;
  readonly memory?: PolicyInput['memory'];
}): PolicyInput {
  return {
    now: fields.now ?? NOW,
    trigger: fields.trigger ?? 'tick',
    pool: { idle: [], starting: 0, waiting: 0, ...fields.pool },
    demand: { arrivals: fields.arrivals ?? [], coldStartSeconds: fields.coldStartSeconds ?? [65] },
    config: poolConfig(fields.config),
    memory: fields.memory ?? {},
  };
}

/** The pool as it stands once `decision` is carried out: stopped workers gone, started ones starting. */
export function applied(before: PolicyInput, decision: PoolDecision): PolicyInput {
  const stopped = new Set(decision.stop);
  return {
    ...before,
    pool: { ...before.pool, idle: before.pool.idle.filter((worker) => !stopped.has(worker.taskId)), starting: before.pool.starting + decision.start },
    memory: decision.memory,
  };
}
