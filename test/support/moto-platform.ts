import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { MotoServer } from './moto-server';
import type { PlatformConfig } from '../../runtime/core/config';
import type { AgentName } from '../../runtime/worker/agents/types';
import { createPlatformTables, INDEXES, type TableNames } from '../runtime/dispatch/support/platform-tables';
import { createAgentNetwork, type AgentNetwork } from '../runtime/pool/moto-network';

/** What the control-plane handlers run against in moto: the platform's tables, cluster, bucket and bus. */
export interface MotoPlatform {
  /** OUTPOST_CONFIG as the construct would set it for these resources. */
  readonly config: PlatformConfig;
  readonly tables: TableNames;
  /** Every event published on the platform bus is written to this log group (a rule targets it). */
  readonly eventLogGroup: string;
}

const BUS = 'outpost-events';
const EVENT_LOG = '/outpost/dispatch-events';
export const ARTIFACTS_BUCKET = 'outpost-artifacts';
/** The one agent the platform runs, and the log group its tasks write to. */
export const CLAUDE_LOG_GROUP = 'outpost-claude';

/** What agent tasks need in moto: the cluster, a network to place them in, and the agent's task definition. */
export interface AgentCluster {
  readonly network: AgentNetwork;
  readonly taskDefinitionArn: string;
}

/**
 * The `outpost` cluster with Fargate and Fargate Spot capacity providers, as OutpostCluster makes it, a VPC
 * network, and a task definition for `agent` with its one `agent` container (moto sums container-level cpu
 * and memory, so they are set there too).
 */
export async function createAgentCluster(moto: MotoServer, agent: AgentName): Promise<AgentCluster> {
  const ecs = new ECSClient({});
  const network = await createAgentNetwork(moto.endpoint);
  await ecs.send(new CreateClusterCommand({ clusterName: 'outpost', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }));
  const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand({
    family: `outpost-${agent}`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '4096',
    containerDefinitions: [{ name: 'agent', image: `outpost/${agent}:test`, essential: true, cpu: 1024, memory: 4096 }],
  }));
  return { network, taskDefinitionArn: taskDefinition!.taskDefinitionArn! };
}

/**
 * The platform's resources in moto, created with the real SDK clients (which `startMoto` points at moto): the
 * tables as `PlatformTables` defines them, the cluster with a claude task definition, the artifacts bucket,
 * and the event bus with a rule that logs every dispatch event.
 */
export async function createMotoPlatform(moto: MotoServer): Promise<MotoPlatform> {
  const tables = await createPlatformTables(new DynamoDBClient({}));
  const { network, taskDefinitionArn } = await createAgentCluster(moto, 'claude');
  await new S3Client({ forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: ARTIFACTS_BUCKET }));
  const events = new EventBridgeClient({});
  const logs = new CloudWatchLogsClient({});
  await events.send(new CreateEventBusCommand({ Name: BUS }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: EVENT_LOG }));
  await events.send(new PutRuleCommand({ Name: 'all', EventBusName: BUS, EventPattern: JSON.stringify({ source: ['outpost.dispatch'] }) }));
  await events.send(new PutTargetsCommand({ Rule: 'all', EventBusName: BUS, Targets: [{ Id: 'log', Arn: `arn:aws:logs:us-east-1:123456789012:log-group:${EVENT_LOG}` }] }));

  const config: PlatformConfig = {
    tables: { ...tables, indexes: { ...INDEXES, byAgentState: 'byAgentState' } },
    cluster: 'outpost',
    subnets: [network.subnetId],
    securityGroups: [network.securityGroupId],
    workerPort: 8080,
    spotEnabled: true,
    artifactsBucket: ARTIFACTS_BUCKET,
    eventBus: BUS,
    agents: {
      claude: {
        taskDefinitionArn,
        logGroupName: CLAUDE_LOG_GROUP,
        defaultModel: 'claude-sonnet-4-5',
        models: { flagship: 'claude-opus-4-1', balanced: 'claude-sonnet-4-5', fast: 'claude-haiku-4-5' },
      },
    },
  };
  return { config, tables, eventLogGroup: EVENT_LOG };
}

