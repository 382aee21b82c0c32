import { arnOf, UnknownOperation, type ArnContext } from './operation';
import type { Authorization } from '../policy/policy-document';

/** Operations that act on one table (or one of its indexes) and are authorized as themselves. */
const SINGLE_TABLE = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'DescribeTable', 'DescribeTimeToLive', 'DescribeContinuousBackups']);

/** Each item of a transaction is authorized as the single-item action it performs, on its own table. */
const TRANSACT_ACTIONS: Readonly<Record<string, string>> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };

/**
 * DynamoDB (AWS JSON 1.0, `DynamoDB_20120810.<Operation>`), per the Service Authorization Reference for
 * Amazon DynamoDB: Query and Scan on an index need the index's ARN (`table/<name>/index/<index>`), a
 * transaction needs each item's action on each item's table, batches need BatchGetItem/BatchWriteItem on
 * each table they touch.
 */
export function dynamodbAuthorizations(operation: string, input: Record<string, any>, context: ArnContext): Authorization[] {
  const table = (name: string) => arnOf(context, 'dynamodb', 'table/', String(name));
  if (SINGLE_TABLE.has(operation)) {
    const index = input.IndexName ? `/index/${input.IndexName}` : '';
    return [{ action: `dynamodb:${operation}`, resource: `${table(input.TableName)}${index}` }];
  }
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    return (input.TransactItems as Array<Record<string, any>> ?? []).flatMap((item) =>
      Object.entries(item).map(([kind, detail]) => {
        const action = TRANSACT_ACTIONS[kind];
        if (!action) {
          throw new UnknownOperation('json-1.0', `dynamodb:${operation} item "${kind}"`);
        }
        return { action: `dynamodb:${action}`, resource: table(detail.TableName) };
      }));
  }
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    return Object.keys(input.RequestItems ?? {}).map((name) => ({ action: `dynamodb:${operation}`, resource: table(name) }));
  }
  throw new UnknownOperation('json-1.0', `dynamodb:${operation}`);
}

/**
 * DynamoDB Streams (`DynamoDBStreams_20120810.<Operation>`): the stream's ARN; GetRecords names it through the
 * shard iterator, which moto builds as `<stream ARN>|1|<id>`.
 */
export function dynamodbStreamsAuthorizations(operation: string, input: Record<string, any>): Authorization[] {
  switch (operation) {
    case 'DescribeStream':
    case 'GetShardIterator':
      return [{ action: `dynamodb:${operation}`, resource: String(input.StreamArn) }];
    case 'GetRecords':
      return [{ action: 'dynamodb:GetRecords', resource: String(input.ShardIterator ?? '').split('|')[0] }];
    case 'ListStreams':
      return [{ action: 'dynamodb:ListStreams', resource: '*' }];
    default:
      throw new UnknownOperation('json-1.0', `dynamodb:${operation} (DynamoDB Streams)`);
  }
}
