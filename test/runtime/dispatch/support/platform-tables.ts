import { CreateTableCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { DispatchIndexNames } from '../../../../runtime/adapters/dispatch-repository';
import { PlatformIndex, PlatformTables } from '../../../../src/cluster/platform-tables';

/** The index names the construct gives handlers. */
export const INDEXES: DispatchIndexNames = {
  byRequester: PlatformIndex.DISPATCHES_BY_REQUESTER,
  byAgentStatus: PlatformIndex.DISPATCHES_BY_AGENT_STATUS,
};

export interface TableNames {
  readonly dispatches: string;
  readonly pool: string;
  readonly audit: string;
  readonly workspaces: string;
}

type GlobalTableProperties = Pick<CreateTableCommandInput, 'AttributeDefinitions' | 'KeySchema' | 'GlobalSecondaryIndexes' | 'BillingMode' | 'StreamSpecification'>;

/**
 * The construct's own key schemas, indexes and streams, read from its synthesized template, so that these tests
 * run against the tables the platform deploys rather than a hand-written copy of them.
 */
function synthesizedTables(): Record<keyof TableNames, GlobalTableProperties> {
  const stack = new Stack(new App(), 'Tables');
  new PlatformTables(stack, 'Tables');
  const resources = Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable');
  const properties = (hint: string): GlobalTableProperties => {
    const [id] = Object.keys(resources).filter((logicalId) => logicalId.includes(hint));
    const { AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, BillingMode, StreamSpecification } = resources[id].Properties;
    // A global table names only the view type of its stream; CreateTable also asks that it be enabled.
    const stream = StreamSpecification && { StreamSpecification: { StreamEnabled: true, StreamViewType: StreamSpecification.StreamViewType } };
    return { AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, BillingMode, ...stream };
  };
  return { dispatches: properties('Dispatches'), pool: properties('Pool'), audit: properties('Audit'), workspaces: properties('Workspaces') };
}

/** Each table as the construct defines it: keys, indexes, billing and stream. */
export const TABLES = synthesizedTables();

/** The names the tables get here. */
export const TABLE_NAMES: TableNames = { dispatches: 'outpost-dispatches', pool: 'outpost-pool', audit: 'outpost-audit', workspaces: 'outpost-workspaces' };

/** Creates the platform's tables (in moto) exactly as `PlatformTables` defines them, streams included. */
export async function createPlatformTables(client: DynamoDBClient): Promise<TableNames> {
  for (const table of ['dispatches', 'pool', 'audit', 'workspaces'] as const) {
    await client.send(new CreateTableCommand({ TableName: TABLE_NAMES[table], ...TABLES[table] }));
  }
  return TABLE_NAMES;
}
