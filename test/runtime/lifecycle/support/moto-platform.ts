import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { Handler } from './api-gateway';
import type { PlatformConfig } from '../../../../runtime/core/config';
import { createPlatformTables, INDEXES, type TableNames } from '../../dispatch/support/platform-tables';
import { createAgentNetwork } from '../../pool/moto-network';

const BUS = 'outpost-events';
/** Every event published on the bus lands here, for tests to read back. */
const EVENT_LOG = '/outpost/platform-events';

export interface MotoPlatform {
  readonly tables: TableNames;
  readonly ecs: ECSClient;
  /** The claude agent's own task definition. */
  readonly agentTaskDefinition: string;
  /** What the constructs would give the handlers (OUTPOST_CONFIG), without persistent workspaces. */
  readonly config: PlatformConfig;
}

/**
 * The deployed platform as the handlers see it, in moto: the tables (as PlatformTables defines them), a
 * cluster and network, the claude agent's task definition (shaped like AgentTaskDefinition's), the artifacts
 * bucket, and the event bus, whose events `publishedEvents` reads back.
 */
export async function createMotoPlatform(endpoint: string, dynamodb: DynamoDBClient): Promise<MotoPlatform> {
  const tables = await createPlatformTables(dynamodb);
  const ecs = new ECSClient({});
  const network = await createAgentNetwork(endpoint);
  await ecs.send(new CreateClusterCommand({ clusterName: 'outpost', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }));
  const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand({
    family: 'outpost-claude',
    taskRoleArn: 'arn:aws:iam::123456789012:role/claude-task',
    executionRoleArn: 'arn:aws:iam::123456789012:role/claude-execution',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '4096',
    volumes: [{ name: 'workspace' }],
    containerDefinitions: [{
      name: 'agent',
      image: 'outpost/claude:test',
      essential: true,
      cpu: 1024,
      memory: 4096,
      mountPoints: [{ sourceVolume: 'workspace', containerPath: '/workspace', readOnly: false }],
    }],
  }));
  await new S3Client({ forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'outpost-artifacts' }));
  const events = new EventBridgeClient({});
  await events.send(new CreateEventBusCommand({ Name: BUS }));
  await new CloudWatchLogsClient({}).send(new CreateLogGroupCommand({ logGroupName: EVENT_LOG }));
  await events.send(new PutRuleCommand({ Name: 'all', EventBusName: BUS, EventPattern: JSON.stringify({ source: ['outpost.dispatch', 'outpost.workspace'] }) }));
  await events.send(new PutTargetsCommand({ Rule: 'all', EventBusName: BUS, Targets: [{ Id: 'log', Arn: `arn:aws:logs:us-east-1:123456789012:log-group:${EVENT_LOG}` }] }));
  const agentTaskDefinition = taskDefinition!.taskDefinitionArn!;
  return {
    tables,
    ecs,
    agentTaskDefinition,
    config: {
      tables: { ...tables, indexes: { ...INDEXES, byAgentState: 'byAgentState' } },
      cluster: 'outpost',
      subnets: [network.subnetId],
      securityGroups: [network.securityGroupId],
      workerPort: 8080,
      spotEnabled: true,
      artifactsBucket: 'outpost-artifacts',
      eventBus: BUS,
      agents: {
        claude: {
          taskDefinitionArn: agentTaskDefinition,
          logGroupName: 'outpost-claude',
          defaultModel: 'claude-sonnet-4-5',
          models: { flagship: 'claude-opus-4-1', balanced: 'claude-sonnet-4-5', fast: 'claude-haiku-4-5' },
        },
      },
    },
  };
}

/** The events published on the platform's bus so far, as EventBridge delivered them. */
export async function publishedEvents(): Promise<Array<{ 'source': string; 'detail-type': string; 'detail': any }>> {
  const { events = [] } = await new CloudWatchLogsClient({}).send(new FilterLogEventsCommand({ logGroupName: EVENT_LOG }));
  return events.map((event) => JSON.parse(event.message!));
}

/**
 * Handlers read OUTPOST_CONFIG (and their other settings) when they load, as on a Lambda cold start: set it,
 * then load them.
 */
export function loadHandlers<N extends string>(config: PlatformConfig, names: readonly N[]): Record<N, Handler> {
  process.env.OUTPOST_CONFIG = JSON.stringify(config);
  return Object.fromEntries(names.map((name) => [name, jest.requireActual(`../../../../runtime/handlers/${name}`).handler])) as Record<N, Handler>;
}
