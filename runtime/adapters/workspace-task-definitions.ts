import {
  DeregisterTaskDefinitionCommand, DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand,
  type ECSClient, type RegisterTaskDefinitionCommandInput, type TaskDefinition,
} from '@aws-sdk/client-ecs';

/** Workspace task definitions: registered from an agent's, deregistered with their workspace. */
export class WorkspaceTaskDefinitions {
  constructor(private readonly ecs: ECSClient) {}

  public async describe(taskDefinitionArn: string): Promise<TaskDefinition> {
    const { taskDefinition } = await this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
    if (!taskDefinition) {
      throw new Error(`DescribeTaskDefinition returned nothing for ${taskDefinitionArn}`);
    }
    return taskDefinition;
  }

  /** Registers a revision; resolves to its ARN. */
  public async register(input: RegisterTaskDefinitionCommandInput): Promise<string> {
    const { taskDefinition } = await this.ecs.send(new RegisterTaskDefinitionCommand(input));
    return taskDefinition!.taskDefinitionArn!;
  }

  /**
   * The active revisions of `family`, and only of it: ECS lists by family prefix, so `w-main` would also list
   * `w-main-2`, another workspace's.
   */
  public async activeRevisions(family: string): Promise<string[]> {
    const revisions: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', nextToken }));
      revisions.push(...(page.taskDefinitionArns ?? []).filter((arn) => familyOf(arn) === family));
      nextToken = page.nextToken;
    } while (nextToken);
    return revisions;
  }

  public async deregister(revision: string): Promise<void> {
    await this.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: revision }));
  }
}

/** `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>` → family. */
function familyOf(taskDefinitionArn: string): string {
  const name = taskDefinitionArn.slice(taskDefinitionArn.indexOf('/') + 1);
  return name.slice(0, name.lastIndexOf(':'));
}
