import type { FleetReadiness } from './fleet-readiness';
import type { PoolWorkerState } from './pool/pool-worker';

/** One agent's workers and waiting dispatches, as `GET /health/fleet` shows them. */
export interface AgentFleetHealth {
  /** Started, healthy, waiting for a dispatch. */
  readonly idle: number;
  /** Started, not yet healthy. */
  readonly starting: number;
  /** Serving a dispatch, or being handed one. */
  readonly busy: number;
  /** Being stopped. */
  readonly draining: number;
  /** Dispatches recorded but not yet started. */
  readonly queued: number;
  /** How long the longest-waiting of those has waited; null when none waits. */
  readonly oldestQueuedAgeSeconds: number | null;
}

export interface FleetHealth {
  readonly at: string;
  readonly agents: Record<string, AgentFleetHealth>;
  /**
   * Each agent's task definition and image, and each provider secret's versions (`outpost doctor` reads
   * them). Absent from platforms deployed before it was reported.
   */
  readonly readiness?: FleetReadiness;
}

/** An agent's fleet health from its pool counts and its QUEUED dispatches' creation times. */
export function agentFleetHealth(workers: Record<PoolWorkerState, number>, queuedSince: readonly string[], now: Date): AgentFleetHealth {
  const oldest = queuedSince.reduce<number | null>((min, at) => Math.min(min ?? Infinity, Date.parse(at)), null);
  return {
    idle: workers.IDLE,
    starting: workers.STARTING,
    busy: workers.RESERVED + workers.BUSY,
    draining: workers.DRAINING,
    queued: queuedSince.length,
    oldestQueuedAgeSeconds: oldest === null ? null : Math.max(0, Math.round((now.getTime() - oldest) / 1000)),
  };
}
