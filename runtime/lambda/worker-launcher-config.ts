import type { WorkerLauncherConfig } from '../adapters/worker-launcher';
import type { PlatformConfig } from '../core/config';

/** The agent container's name in every agent task definition (src/agents/agent-task-definition.ts). */
const AGENT_CONTAINER = 'agent';

/** How workers of this platform are started, from its configuration: Spot first where `spotEnabled`. */
export function workerLauncherConfig(config: PlatformConfig, spotEnabled = config.spotEnabled): WorkerLauncherConfig {
  return {
    cluster: config.cluster,
    taskDefinitionArns: Object.fromEntries(Object.entries(config.agents).map(([agent, settings]) => [agent, settings.taskDefinitionArn])),
    subnets: config.subnets,
    securityGroups: config.securityGroups,
    spotEnabled,
    containerName: AGENT_CONTAINER,
  };
}
