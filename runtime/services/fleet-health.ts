import type { DispatchRepository } from '../adapters/dispatch-repository';
import type { PoolRepository } from '../adapters/pool-repository';
import { DispatchStatus } from '../core/dispatch/states';
import { agentFleetHealth, type FleetHealth } from '../core/fleet-health';
import type { FleetReadiness } from '../core/fleet-readiness';

export interface FleetHealthDeps {
  /** The platform's agents. */
  readonly agents: readonly string[];
  readonly dispatches: Pick<DispatchRepository, 'listByAgentStatus'>;
  readonly pool: Pick<PoolRepository, 'countByState'>;
  readonly now: () => Date;
  /** Each agent's task definition and image, each provider secret's versions (./fleet-readiness.ts). */
  readonly readiness: () => Promise<FleetReadiness>;
}

/**
 * Per agent: idle, starting and busy workers, queued dispatches and how long the oldest has waited; and
 * whether each agent's setup lets a run start (its task definition, image and provider secret).
 */
export async function fleetHealth(deps: FleetHealthDeps): Promise<FleetHealth> {
  const now = deps.now();
  const [agents, readiness] = await Promise.all([
    Promise.all(deps.agents.map(async (agent) => {
      const [workers, queued] = await Promise.all([deps.pool.countByState(agent), deps.dispatches.listByAgentStatus(agent, DispatchStatus.QUEUED)]);
      return [agent, agentFleetHealth(workers, queued.map((dispatch) => dispatch.createdAt), now)] as const;
    })),
    deps.readiness(),
  ]);
  return { at: now.toISOString(), agents: Object.fromEntries(agents), readiness };
}
