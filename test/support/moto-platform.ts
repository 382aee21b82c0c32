import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiHandler } from './api-event';
import { MotoServer, startMoto } from './moto-server';
import type { PlatformConfig } from '../../runtime/core/config';
import { CALLER_RULES } from '../runtime/dispatch/support/dispatches';
import { createPlatformTables, INDEXES, type TableNames } from '../runtime/dispatch/support/platform-tables';
import { streamRecord } from '../runtime/outbox/stream-records';
import { createAgentCluster } from '../runtime/pool/moto-cluster';
import { createAgentNetwork } from '../runtime/pool/moto-network';

/** The platform's AWS side in moto, for the control-plane handlers: one agent, `claude`. */
export interface MotoPlatform {
  readonly moto: MotoServer;
  readonly tables: TableNames;
  readonly config: PlatformConfig;
  /** The task definition of the claude agent. */
  readonly agentTaskDefinition: string;
  /**
   * The handler of `runtime/handlers/<name>`, loaded now, as on a Lambda cold start: it reads OUTPOST_CONFIG
   * (set to `config`, `this.config` by default) and the AWS environment (AWS_ENDPOINT_URL) as they are now.
   */
  handler(name: string, config?: PlatformConfig): ApiHandler;
  /**
   * The environment the construct gives the API's handlers (OUTPOST_CONFIG, the dispatches table, the
   * ledger's OUTPOST_LEDGER), for `startLocalApi`, which loads every routed handler.
   */
  apiEnvironment(ledgerTable?: string): Record<string, string>;
  /**
   * What the dispatches table's stream brings the starter, where a test lets it run: every QUEUED dispatch
   * handed to the starter (`coldStartRequestedAt`) and not delivered before, or since given `workspaceReadyAt`,
   * as the record Lambda would
   * pass, to the real `dispatch-starter` handler (loaded with `handlerConfig`, as `handler`). Answers how many it
   * delivered.
   */
  deliverColdStarts(handlerConfig?: PlatformConfig): Promise<number>;
  /**
   * What the workspaces table's stream brings the workspace provisioner: every workspace awaiting the access
   * point the starter asked for, to the real `workspace-provisioner` handler. Answers how many it delivered.
   */
  deliverAccessPointRequests(handlerConfig: PlatformConfig): Promise<number>;
  /** Every event published on the platform's bus so far, as EventBridge delivered it. */
  publishedEvents(): Promise<Array<{ 'source': string; 'detail-type': string; 'detail': any }>>;
  stop(): Promise<void>;
}

export interface MotoPlatformOptions {
  /** Where workers listen for their assignment. @default 8080 */
  readonly workerPort?: number;
}

/** A rule on the bus sends every platform event here, for `publishedEvents`. */
const EVENT_LOG = '/outpost/platform-events';

/**
 * Starts moto and creates what `OutpostPlatform` deploys for the handlers: the tables (as the construct
 * defines them), a private subnet and security group, the cluster, the agent's task definition, the
 * artifacts bucket and the event bus; OUTPOST_CONFIG names them until `stop()`.
 */
export async function startMotoPlatform(options: MotoPlatformOptions = {}): Promise<MotoPlatform> {
  const moto = await startMoto();
  const tables = await createPlatformTables(new DynamoDBClient({}));
  const network = await createAgentNetwork(moto.endpoint);
  const taskDefinitionArn = await createAgentCluster(new ECSClient({}), 'claude');
  await new S3Client({ forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'outpost-artifacts' }));
  const bus = 'outpost-events';
  const events = new EventBridgeClient({});
  const logs = new CloudWatchLogsClient({});
  await events.send(new CreateEventBusCommand({ Name: bus }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: EVENT_LOG }));
  await events.send(new PutRuleCommand({ Name: 'all', EventBusName: bus, EventPattern: JSON.stringify({ source: ['outpost.dispatch', 'outpost.workspace', 'outpost.ledger'] }) }));
  await events.send(new PutTargetsCommand({ Rule: 'all', EventBusName: bus, Targets: [{ Id: 'log', Arn: `arn:aws:logs:us-east-1:123456789012:log-group:${EVENT_LOG}` }] }));
  const config: PlatformConfig = {
    tables: { ...tables, indexes: { ...INDEXES, byAgentState: 'byAgentState' } },
    cluster: 'outpost',
    subnets: [network.subnetId],
    securityGroups: [network.securityGroupId],
    workerPort: options.workerPort ?? 8080,
    spotEnabled: true,
    artifactsBucket: 'outpost-artifacts',
    // Path-style: moto answers for every bucket on its one endpoint.
    artifactsBucketUrl: `${moto.endpoint}/outpost-artifacts`,
    eventBus: bus,
    agents: {
      claude: {
        taskDefinitionArn,
        logGroupName: 'outpost-claude',
        defaultModel: 'claude-sonnet-4-5',
        models: { flagship: 'claude-opus-4-1', balanced: 'claude-sonnet-4-5', fast: 'claude-haiku-4-5' },
      },
    },
  };
  process.env.OUTPOST_CONFIG = JSON.stringify(config);
  process.env.OUTPOST_CALLERS = CALLER_RULES;
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const delivered = new Map<string, Record<string, any>>();
  let sequence = 0;
  const loadHandler = (name: string, handlerConfig: PlatformConfig) => {
    process.env.OUTPOST_CONFIG = JSON.stringify(handlerConfig);
    return jest.requireActual(`../../runtime/handlers/${name}`).handler;
  };
  return {
    moto,
    tables,
    config,
    agentTaskDefinition: taskDefinitionArn,
    handler(name, handlerConfig = config) {
      return loadHandler(name, handlerConfig);
    },
    async deliverColdStarts(handlerConfig = config) {
      const { Items = [] } = await documents.send(new ScanCommand({
        TableName: tables.dispatches,
        FilterExpression: 'attribute_exists(coldStartRequestedAt) AND #status = :queued',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':queued': 'QUEUED' },
      }));
      // As the stream would: a dispatch first as created, again once its workspace is ready.
      const records = Items.flatMap((item) => {
        const before = delivered.get(item.id);
        const changed = !before || (item.workspaceReadyAt !== undefined && before.workspaceReadyAt === undefined);
        delivered.set(item.id, item);
        return changed ? [streamRecord(before ? 'MODIFY' : 'INSERT', before, item, `${++sequence}`)] : [];
      });
      if (records.length > 0) {
        const response = await loadHandler('dispatch-starter', handlerConfig)({ Records: records });
        expect(response).toEqual({ batchItemFailures: [] });
      }
      return records.length;
    },
    async deliverAccessPointRequests(handlerConfig = config) {
      const { Items = [] } = await documents.send(new ScanCommand({
        TableName: handlerConfig.workspaces!.table,
        FilterExpression: 'attribute_exists(accessPointRequestedAt) AND attribute_not_exists(accessPointId)',
      }));
      const records = Items.map((item) => streamRecord('MODIFY', { ...item, accessPointRequestedAt: undefined }, item, `${++sequence}`));
      if (records.length > 0) {
        const response = await loadHandler('workspace-provisioner', handlerConfig)({ Records: records });
        expect(response).toEqual({ batchItemFailures: [] });
      }
      return records.length;
    },
    apiEnvironment(ledgerTable = 'outpost-ledger') {
      return {
        OUTPOST_CONFIG: JSON.stringify(config),
        OUTPOST_CALLERS: CALLER_RULES,
        DISPATCHES_TABLE_NAME: tables.dispatches,
        OUTPOST_LEDGER: JSON.stringify({ table: ledgerTable, agents: {} }),
      };
    },
    async publishedEvents() {
      const { events: published = [] } = await logs.send(new FilterLogEventsCommand({ logGroupName: EVENT_LOG }));
      return published.map((event) => JSON.parse(event.message!));
    },
    async stop() {
      delete process.env.OUTPOST_CONFIG;
      delete process.env.OUTPOST_CALLERS;
      await moto.stop();
    },
  };
}
