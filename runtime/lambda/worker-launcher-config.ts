import type { WorkerLauncherConfig } from '../adapters/worker-launcher';
import type { PlatformConfig } from '../core/config';

/** The agent container's name in every agent task definition (src/agents/agent-task-definition.ts). */
const AGENT_CONTAINER = 'agent';

/**
 * How workers of this platform are started, from its configuration: Spot first where `spotEnabled` and the
 * agent's task definition is x86_64 (an agent without `cpuArchitecture` is arm64, which Spot does not run).
 */
export function workerLauncherConfig(config: PlatformConfig, spotEnabled = config.spotEnabled): WorkerLauncherConfig {
  return {
    cluster: config.cluster,
    taskDefinitionArns: Object.fromEntries(Object.entries(config.agents).map(([agent, settings]) => [agent, settings.taskDefinitionArn])),
    subnets: config.subnets,
    securityGroups: config.securityGroups,
    spotEnabled,
    architectures: Object.fromEntries(Object.entries(config.agents).map(([agent, settings]) => [agent, settings.cpuArchitecture ?? 'arm64'])),
    containerName: AGENT_CONTAINER,
  };
}
