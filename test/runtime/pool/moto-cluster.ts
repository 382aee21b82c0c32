import { CreateClusterCommand, RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';

/**
 * The `outpost` cluster as OutpostCluster makes it (Fargate and Fargate Spot capacity providers) and an
 * awsvpc Fargate task definition for `agent` (family `outpost-<agent>`) whose container is `agent`;
 * returns the task definition's ARN.
 */
export async function createAgentCluster(ecs: ECSClient, agent: string): Promise<string> {
  await ecs.send(new CreateClusterCommand({ clusterName: 'outpost', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }));
  const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand({
    family: `outpost-${agent}`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '4096',
    // moto sums container-level cpu and memory.
    containerDefinitions: [{ name: 'agent', image: `outpost/${agent}:test`, essential: true, cpu: 1024, memory: 4096 }],
  }));
  return taskDefinition!.taskDefinitionArn!;
}
