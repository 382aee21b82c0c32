import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';

/** What fleet health reads of an agent's task definition: whether it can run, and the image it runs. */
export interface TaskDefinitionSummary {
  /** ACTIVE, or INACTIVE once deregistered (ECS runs no new task of an INACTIVE revision). */
  readonly status: string;
  /** The image of the worker's container; undefined when it has none of that name. */
  readonly image?: string;
}

/** The agents' task definitions, as DescribeTaskDefinition shows them. */
export class AgentTaskDefinitions {
  constructor(private readonly ecs: ECSClient) {}

  public async describe(taskDefinitionArn: string, containerName: string): Promise<TaskDefinitionSummary> {
    const { taskDefinition } = await this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
    const container = taskDefinition?.containerDefinitions?.find((definition) => definition.name === containerName);
    return { status: taskDefinition?.status ?? 'UNKNOWN', ...(container?.image !== undefined && { image: container.image }) };
  }
}
