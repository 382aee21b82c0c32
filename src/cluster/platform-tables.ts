import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Props for {@link PlatformTables}. */
export interface PlatformTablesProps {
  /**
   * What happens to the tables when the stack is deleted. RETAIN also turns on deletion protection.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Names of the secondary indexes, shared with the runtime through environment variables. */
export enum PlatformIndex {
  /** dispatches: `requester` → `id` (ULIDs sort by creation time). */
  DISPATCHES_BY_REQUESTER = 'byRequester',
  /** dispatches: `agentStatus` (`<agent>#<STATE>`) → `id`. */
  DISPATCHES_BY_AGENT_STATUS = 'byAgentStatus',
  /** pool: `agentState` (`<agent>#<STATE>`) → `since`. */
  POOL_BY_AGENT_STATE = 'byAgentState',
}

/** Every table expires items by this attribute (epoch seconds), where the writer sets it. */
export const EXPIRES_AT_ATTRIBUTE = 'expiresAt';

const S = dynamodb.AttributeType.STRING;

/**
 * The platform's state, in four on-demand tables with point-in-time recovery. Key design (docs/data-model.md):
 * - `dispatches`: one item per dispatch, `id` (ULID); by requester, newest first; by agent and status, oldest first.
 * - `pool`: one item per worker task, `taskId`; by agent and state, so a dispatch finds an idle worker in one query;
 *   its stream drives the pool scaler.
 * - `audit`: append-only, `entity` (`dispatch#<id>`, `workspace#<name>`…) + `eventId` (ULID), expiring after a year.
 * - `workspaces`: `requester` + `name`, one item per persistent workspace, and one per user holding their POSIX uid.
 */
export class PlatformTables extends Construct {
  public readonly dispatches: dynamodb.TableV2;
  public readonly pool: dynamodb.TableV2;
  public readonly audit: dynamodb.TableV2;
  public readonly workspaces: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: PlatformTablesProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const common = {
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      timeToLiveAttribute: EXPIRES_AT_ATTRIBUTE,
      removalPolicy,
    };

    this.dispatches = new dynamodb.TableV2(this, 'Dispatches', {
      ...common,
      // The outbox: every change to a dispatch is published from the stream, so none is lost between a
      // handler's write and its publishing.
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      partitionKey: { name: 'id', type: S },
      globalSecondaryIndexes: [
        { indexName: PlatformIndex.DISPATCHES_BY_REQUESTER, partitionKey: { name: 'requester', type: S }, sortKey: { name: 'id', type: S } },
        { indexName: PlatformIndex.DISPATCHES_BY_AGENT_STATUS, partitionKey: { name: 'agentStatus', type: S }, sortKey: { name: 'id', type: S } },
      ],
    });

    this.pool = new dynamodb.TableV2(this, 'Pool', {
      ...common,
      // The pool scaler replaces a claimed worker, and measures a worker's cold start, from the stream.
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      partitionKey: { name: 'taskId', type: S },
      globalSecondaryIndexes: [
        { indexName: PlatformIndex.POOL_BY_AGENT_STATE, partitionKey: { name: 'agentState', type: S }, sortKey: { name: 'since', type: S } },
      ],
    });

    this.audit = new dynamodb.TableV2(this, 'Audit', {
      ...common,
      partitionKey: { name: 'entity', type: S },
      sortKey: { name: 'eventId', type: S },
    });

    this.workspaces = new dynamodb.TableV2(this, 'Workspaces', {
      ...common,
      partitionKey: { name: 'requester', type: S },
      sortKey: { name: 'name', type: S },
      // The workspace provisioner follows it: a workspace awaiting its access point.
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    });
  }

  /**
   * Item actions, named as DynamoDB's API names them (`'GetItem'`, `'UpdateItem'`…), on whole items of `tables`
   * (this construct's), in one statement: never on their indexes or streams, which `Table.grant` would add.
   */
  public grantItems(grantee: iam.IGrantable, tables: dynamodb.ITableV2[], ...actions: string[]): iam.Grant {
    const own = [this.dispatches, this.pool, this.audit, this.workspaces];
    const foreign = tables.filter((table) => !own.includes(table as dynamodb.TableV2));
    if (foreign.length > 0 || tables.length === 0) {
      throw new Error(`PlatformTables.grantItems: grant on this construct's tables only (dispatches, pool, audit, workspaces), got ${tables.length === 0 ? 'none' : foreign.map((table) => table.node.path).join(', ')}`);
    }
    return iam.Grant.addToPrincipal({ grantee, actions: actions.map((action) => `dynamodb:${action}`), resourceArns: tables.map((table) => table.tableArn) });
  }

  /** Query on these indexes, and on nothing else of their tables, in one statement. */
  public grantIndexQuery(grantee: iam.IGrantable, ...indexes: PlatformIndex[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: indexes.map((index) => this.indexArn(index)) });
  }

  /** Append audit records: PutItem only, so a writer can never rewrite or delete history. */
  public grantAuditAppend(grantee: iam.IGrantable): iam.Grant {
    return this.audit.grant(grantee, 'dynamodb:PutItem');
  }

  private indexArn(index: PlatformIndex): string {
    const table = index === PlatformIndex.POOL_BY_AGENT_STATE ? this.pool : this.dispatches;
    return `${table.tableArn}/index/${index}`;
  }
}
