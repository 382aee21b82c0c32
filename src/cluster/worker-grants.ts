import { Arn, ArnFormat, CfnResource, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { AgentFleet } from '../agents/agent-fleet';
import { acknowledgeFindings } from '../core/acknowledge';

/** Every task of the cluster: worker tasks get their ids at launch, so no narrower ARN can name them. */
function clusterTaskArns(cluster: ecs.ICluster): string {
  return Arn.format({ service: 'ecs', resource: 'task', resourceName: `${cluster.clusterName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, Stack.of(cluster));
}

/** Only calls about the platform's cluster. */
function inCluster(cluster: ecs.ICluster): Record<string, Record<string, unknown>> {
  return { ArnEquals: { 'ecs:cluster': cluster.clusterArn } };
}

/** What a worker token's encryption context says (runtime/core/pool/worker-token.ts `workerTokenContext`). */
const WORKER_TOKEN_PURPOSE = 'outpost-worker-token';

/**
 * `action` (kms:Encrypt to seal a worker token, kms:Decrypt to open one) on the platform key, only under a
 * worker token's encryption context for this cluster: the key encrypts or decrypts nothing else for `role`.
 */
export function grantWorkerToken(role: iam.IRole, key: kms.IKey, cluster: ecs.ICluster, action: 'kms:Encrypt' | 'kms:Decrypt'): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: [action],
    resources: [key.keyArn],
    conditions: {
      StringEquals: { 'kms:EncryptionContext:purpose': WORKER_TOKEN_PURPOSE, 'kms:EncryptionContext:cluster': cluster.clusterArn },
    },
  }));
}

/**
 * Start workers: RunTask on the agents' task definitions in the cluster, tagging the new task (tags are set at
 * launch, which ECS authorizes as tagging the task), passing the agents' task and execution roles to ECS, and
 * sealing each worker's token with the platform key (`tokenKey`).
 */
export function grantWorkerLaunch(role: iam.IRole, cluster: ecs.ICluster, agents: AgentFleet, tokenKey: kms.IKey): void {
  grantWorkerToken(role, tokenKey, cluster, 'kms:Encrypt');
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ecs:RunTask'],
    resources: agents.agents.map((agent) => agents.taskDefinition(agent.kind).taskDefinition.taskDefinitionArn),
    conditions: inCluster(cluster),
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ecs:TagResource'],
    resources: [clusterTaskArns(cluster)],
    conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
  }));
  for (const agent of agents.agents) {
    const definition = agents.taskDefinition(agent.kind);
    for (const passed of [definition.taskRole, definition.taskDefinition.obtainExecutionRole()]) {
      passed.grantPassRole(role);
    }
  }
}

/** `actions` (StopTask, DescribeTasks) on the cluster's tasks, with the cluster condition. */
export function grantOnClusterTasks(grantee: iam.IGrantable, cluster: ecs.ICluster, actions: string[]): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [clusterTaskArns(cluster)], conditions: inCluster(cluster) });
}

/** The cdk-nag acknowledgement a role granted `grantWorkerLaunch` or `grantOnClusterTasks` needs. */
export function acknowledgeClusterTasks(role: iam.IRole, cluster: ecs.ICluster): void {
  const clusterId = Stack.of(cluster).resolve((cluster.node.defaultChild as CfnResource).logicalId);
  acknowledgeFindings(role, {
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/<${clusterId}>/*]`,
    reason: 'Worker tasks get their ids at launch; the statement is limited to tasks of the platform cluster (and an ecs:cluster condition).',
  });
}
