import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { PlatformConfig } from '../../../../runtime/core/config';
import type { MotoServer } from '../../../support/moto-server';
import { createPlatformTables, INDEXES, type TableNames } from '../../dispatch/support/platform-tables';
import { createAgentNetwork } from '../../pool/moto-network';

const BUS = 'outpost-events';
/** Where the platform bus's events land, so that a test can read what was published. */
export const EVENT_LOG = '/outpost/dispatch-events';

export interface Platform {
  /** What the handlers read from OUTPOST_CONFIG. */
  readonly config: PlatformConfig;
  readonly tables: TableNames;
}

/**
 * A platform in moto as the control-plane handlers see it: its tables, a cluster with the claude agent's
 * task definition, the artifacts bucket, and the event bus (logged to EVENT_LOG).
 */
export async function createPlatform(moto: MotoServer): Promise<Platform> {
  const tables = await createPlatformTables(new DynamoDBClient({}));
  const ecs = new ECSClient({});
  const network = await createAgentNetwork(moto.endpoint);
  await ecs.send(new CreateClusterCommand({ clusterName: 'outpost', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }));
  const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand({
    family: 'outpost-claude',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '4096',
    containerDefinitions: [{ name: 'agent', image: 'outpost/claude:test', essential: true, cpu: 1024, memory: 4096 }],
  }));
  await new S3Client({ forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'outpost-artifacts' }));
  const events = new EventBridgeClient({});
  await events.send(new CreateEventBusCommand({ Name: BUS }));
  await new CloudWatchLogsClient({}).send(new CreateLogGroupCommand({ logGroupName: EVENT_LOG }));
  await events.send(new PutRuleCommand({ Name: 'all', EventBusName: BUS, EventPattern: JSON.stringify({ source: ['outpost.dispatch'] }) }));
  await events.send(new PutTargetsCommand({ Rule: 'all', EventBusName: BUS, Targets: [{ Id: 'log', Arn: `arn:aws:logs:us-east-1:123456789012:log-group:${EVENT_LOG}` }] }));
  const config: PlatformConfig = {
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
        taskDefinitionArn: taskDefinition!.taskDefinitionArn!,
        logGroupName: 'outpost-claude',
        defaultModel: 'claude-sonnet-4-5',
        models: { flagship: 'claude-opus-4-1', balanced: 'claude-sonnet-4-5', fast: 'claude-haiku-4-5' },
      },
    },
  };
  return { config, tables };
}
