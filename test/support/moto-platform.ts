import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ApiHandler } from './api-event';
import { type FilterCriteria, matchEventFilters } from './event-pattern-matcher';
import { createPlatformKey, decryptWithSdk } from './moto-kms';
import { MotoServer, startMoto } from './moto-server';
import { motoTableStream, type TableStream } from './table-stream';
import { PoolRepository } from '../../runtime/adapters/pool-repository';
import type { PlatformConfig } from '../../runtime/core/config';
import { workerTokenContext } from '../../runtime/core/pool/worker-token';
import { COLD_START_REQUESTS } from '../../src/control-plane/cold-start-filters';
import { ACCESS_POINT_REQUESTS } from '../../src/control-plane/workspace-provisioner-filters';
import { CALLER_RULES } from '../runtime/dispatch/support/dispatches';
import { createPlatformTables, INDEXES, type TableNames } from '../runtime/dispatch/support/platform-tables';
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
   * What the dispatches table's stream brings the starter, where a test lets it run: the records written to
   * the table's real stream (moto's) since the last delivery that pass the starter's event source filters
   * (STARTER_MAPPING, by moto's EventBridge pattern engine), in batches of the mapping's size, as Lambda would
   * pass them, to the real `dispatch-starter` handler (loaded with `handlerConfig`, as `handler`). Answers how
   * many records it delivered.
   */
  deliverColdStarts(handlerConfig?: PlatformConfig): Promise<number>;
  /**
   * What the workspaces table's stream (`handlerConfig.workspaces.table`) brings the workspace provisioner:
   * its records since the last delivery that pass PROVISIONER_MAPPING's filters, to the real
   * `workspace-provisioner` handler, as for `deliverColdStarts`. Answers how many records it delivered.
   */
  deliverAccessPointRequests(handlerConfig: PlatformConfig): Promise<number>;
  /** The token of a pool worker, decrypted from its pool item's ciphertext as KMS opens it: what its worker would present. */
  workerToken(taskId: string): Promise<string>;
  /** Every event published on the platform's bus so far, as EventBridge delivered it. */
  publishedEvents(): Promise<Array<{ 'source': string; 'detail-type': string; 'detail': any }>>;
  stop(): Promise<void>;
}

export interface MotoPlatformOptions {
  /** Where workers listen for their assignment. @default 8080 */
  readonly workerPort?: number;
}

/** What of a Lambda event source mapping on a table's stream decides which records reach the function, and how many at once. */
export interface StreamMapping {
  readonly FilterCriteria: FilterCriteria;
  readonly BatchSize: number;
}

/** The filters as the construct passes them (`lambda.FilterCriteria.filter`), in the template's form. */
const criteria = (filters: ReadonlyArray<Record<string, unknown>>): FilterCriteria =>
  ({ Filters: filters.map((filter) => ({ Pattern: filter.pattern as string })) });

/**
 * The starter's and the provisioner's event source mappings, as src/control-plane/dispatch-lifecycle.ts and
 * persistent-workspaces.ts make them; test/dispatch-lifecycle.test.ts holds them equal to the synthesized
 * template's (synthesizing the platform here would cost every suite that starts moto tens of seconds).
 */
export const STARTER_MAPPING: StreamMapping = { FilterCriteria: criteria(COLD_START_REQUESTS), BatchSize: 10 };
export const PROVISIONER_MAPPING: StreamMapping = { FilterCriteria: criteria(ACCESS_POINT_REQUESTS), BatchSize: 10 };

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
    workerTokenKey: await createPlatformKey(),
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
  const dynamodb = new DynamoDBClient({});
  const streams = new Map<string, Promise<TableStream>>();
  const loadHandler = (name: string, handlerConfig: PlatformConfig) => {
    process.env.OUTPOST_CONFIG = JSON.stringify(handlerConfig);
    return jest.requireActual(`../../runtime/handlers/${name}`).handler;
  };
  /** The table's new stream records that pass the mapping's filters, to the handler in batches; how many. */
  const deliver = async (table: string, mapping: StreamMapping, handler: string, handlerConfig: PlatformConfig) => {
    if (!streams.has(table)) {
      streams.set(table, motoTableStream(dynamodb, table));
    }
    const records = await (await streams.get(table)!).read();
    const passed = records.length === 0 ? [] : matchEventFilters(mapping.FilterCriteria, records);
    const survivors = records.filter((_, index) => passed[index]);
    for (const batch of batches(survivors, mapping.BatchSize)) {
      const response = await loadHandler(handler, handlerConfig)({ Records: batch });
      expect(response).toEqual({ batchItemFailures: [] });
    }
    return survivors.length;
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
      return deliver(handlerConfig.tables.dispatches, STARTER_MAPPING, 'dispatch-starter', handlerConfig);
    },
    async deliverAccessPointRequests(handlerConfig) {
      return deliver(handlerConfig.workspaces!.table, PROVISIONER_MAPPING, 'workspace-provisioner', handlerConfig);
    },
    apiEnvironment(ledgerTable = 'outpost-ledger') {
      return {
        OUTPOST_CONFIG: JSON.stringify(config),
        OUTPOST_CALLERS: CALLER_RULES,
        DISPATCHES_TABLE_NAME: tables.dispatches,
        OUTPOST_LEDGER: JSON.stringify({ table: ledgerTable, agents: {} }),
      };
    },
    async workerToken(taskId) {
      const worker = await new PoolRepository(DynamoDBDocumentClient.from(dynamodb), config.tables.pool).get(taskId);
      if (!worker) {
        throw new Error(`no pool item for task ${taskId}`);
      }
      return decryptWithSdk(worker.tokenCiphertext, workerTokenContext(config.cluster));
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

/** `records` in batches of at most `size`, in order, as Lambda reads a shard. */
function batches(records: DynamoDBRecord[], size: number): DynamoDBRecord[][] {
  return Array.from({ length: Math.ceil(records.length / size) }, (_, index) => records.slice(index * size, (index + 1) * size));
}
