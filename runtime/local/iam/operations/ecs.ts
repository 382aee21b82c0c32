import { arnOf, UnknownOperation, type ArnContext } from './operation';
import { tagging } from './tagging';
import type { Authorization } from '../policy/policy-document';

/** What `iam:PassedToService` says when ECS passes a role to a task. */
const ECS_TASKS = 'ecs-tasks.amazonaws.com';

/** Operations whose resource is `*` (the Service Authorization Reference lists no resource type for them). */
const NO_RESOURCE = new Set(['DescribeTaskDefinition', 'DeregisterTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitionFamilies', 'DescribeClusters']);

/**
 * Amazon ECS (AWS JSON 1.1, `AmazonEC2ContainerServiceV20141113.<Operation>`), per its Service Authorization
 * Reference: RunTask on the task definition's ARN with `ecs:cluster`; StopTask and DescribeTasks on the task's
 * ARN with `ecs:cluster`; RegisterTaskDefinition on the new definition's family. Passing a role to a task
 * (the task definition's task and execution roles at RunTask, the roles a registration names) also needs
 * `iam:PassRole` on each role with `iam:PassedToService`; tags on a create need `ecs:TagResource` with
 * `ecs:CreateAction`.
 */
export async function ecsAuthorizations(operation: string, input: Record<string, any>, context: ArnContext): Promise<Authorization[]> {
  const cluster = clusterArn(context, input.cluster);
  const onCluster = { 'ecs:cluster': cluster };
  if (NO_RESOURCE.has(operation)) {
    return [{ action: `ecs:${operation}`, resource: '*' }];
  }
  switch (operation) {
    case 'RunTask': {
      const definition = await describeTaskDefinition(context, String(input.taskDefinition));
      const overrides = input.overrides ?? {};
      return [
        { action: 'ecs:RunTask', resource: definition?.taskDefinitionArn ?? taskDefinitionArn(context, String(input.taskDefinition)), context: onCluster },
        ...passRoles([definition?.taskRoleArn, definition?.executionRoleArn, overrides.taskRoleArn, overrides.executionRoleArn]),
        ...tagging(input.tags, `${cluster.replace(':cluster/', ':task/')}/*`, 'RunTask'),
      ];
    }
    case 'StopTask':
      return [{ action: 'ecs:StopTask', resource: taskArn(cluster, String(input.task)), context: onCluster }];
    case 'DescribeTasks':
      return (input.tasks as string[] ?? []).map((task) => ({ action: 'ecs:DescribeTasks', resource: taskArn(cluster, task), context: onCluster }));
    case 'ListTasks':
      return [{ action: 'ecs:ListTasks', resource: '*', context: onCluster }];
    case 'RegisterTaskDefinition': {
      const family = `${arnOf(context, 'ecs', 'task-definition/', String(input.family))}:*`;
      return [
        { action: 'ecs:RegisterTaskDefinition', resource: family },
        ...passRoles([input.taskRoleArn, input.executionRoleArn]),
        ...tagging(input.tags, family, 'RegisterTaskDefinition'),
      ];
    }
    default:
      throw new UnknownOperation('json-1.1', `ecs:${operation}`);
  }
}

function clusterArn(context: ArnContext, cluster: string | undefined): string {
  return arnOf(context, 'ecs', 'cluster/', cluster ?? 'default');
}

/** A task's ARN (`task/<cluster name>/<id>`), from its ARN or its id. */
function taskArn(cluster: string, task: string): string {
  return task.startsWith('arn:') ? task : `${cluster.replace(':cluster/', ':task/')}/${task}`;
}

/** `family:revision` or a bare family (its latest revision, which only moto knows: any revision of it). */
function taskDefinitionArn(context: ArnContext, definition: string): string {
  return arnOf(context, 'ecs', 'task-definition/', definition.includes(':') || definition.startsWith('arn:') ? definition : `${definition}:*`);
}

async function describeTaskDefinition(context: ArnContext, definition: string): Promise<Record<string, string> | undefined> {
  const answer = await context.upstream.json('ecs', 'AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition', { taskDefinition: definition });
  return answer?.taskDefinition;
}

function passRoles(roles: ReadonlyArray<string | undefined>): Authorization[] {
  return [...new Set(roles.filter((role): role is string => typeof role === 'string' && role !== ''))]
    .map((role) => ({ action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': ECS_TASKS } }));
}
