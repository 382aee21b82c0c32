import { CreateClusterCommand, RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';

/**
 * The `outpost` cluster as OutpostCluster makes it (Fargate and Fargate Spot capacity providers) and an
 * awsvpc Fargate task definition for `agent` (family `outpost-<agent>`) shaped like AgentTaskDefinition's:
 * task and execution roles, and the `agent` container with a scratch `workspace` volume; returns its ARN.
 * Its CPU architecture is X86_64 unless told otherwise: ECS's default, and the one Fargate Spot runs.
 */
export async function createAgentCluster(ecs: ECSClient, agent: string, cpuArchitecture: 'X86_64' | 'ARM64' = 'X86_64'): Promise<string> {
  await ecs.send(new CreateClusterCommand({ clusterName: 'outpost', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }));
  const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand({
    family: `outpost-${agent}`,
    taskRoleArn: `arn:aws:iam::123456789012:role/${agent}-task`,
    executionRoleArn: `arn:aws:iam::123456789012:role/${agent}-execution`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '4096',
    runtimePlatform: { cpuArchitecture, operatingSystemFamily: 'LINUX' },
    volumes: [{ name: 'workspace' }],
    // moto sums container-level cpu and memory.
    containerDefinitions: [{
      name: 'agent',
      image: `outpost/${agent}:test`,
      essential: true,
      cpu: 1024,
      memory: 4096,
      mountPoints: [{ sourceVolume: 'workspace', containerPath: '/workspace', readOnly: false }],
    }],
  }));
  return taskDefinition!.taskDefinitionArn!;
}
