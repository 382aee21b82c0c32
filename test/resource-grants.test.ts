import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PlatformIndex, PlatformTables } from '../src';
import { standaloneFunctionDefaults } from './support/function-defaults';
import { PlatformFunction } from '../src/core/platform-function';

/** The grant helpers' guards: what the permission tests of the whole platform cannot reach. */
describe('grants on resources: their guards', () => {
  const stack = new Stack(new App(), 'Grants');
  const tables = new PlatformTables(stack, 'Tables', { removalPolicy: RemovalPolicy.DESTROY });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

  test('PlatformTables.grantItems grants on its own tables only, naming the foreign one', () => {
    const foreign = new dynamodb.TableV2(stack, 'Foreign', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    expect(() => tables.grantItems(role, [tables.pool, foreign], 'GetItem')).toThrow(/grant on this construct's tables only .* got Grants\/Foreign/);
    expect(() => tables.grantItems(role, [], 'GetItem')).toThrow(/got none/);
  });

  test('PlatformTables.grantIndexQuery names each index on its own table, in one statement', () => {
    const grant = tables.grantIndexQuery(role, PlatformIndex.DISPATCHES_BY_REQUESTER, PlatformIndex.POOL_BY_AGENT_STATE);
    const resources = stack.resolve(grant.principalStatements[0].toStatementJson().Resource);
    expect(resources).toEqual([
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(tables.dispatches.node.defaultChild as dynamodb.CfnGlobalTable), 'Arn'] }, '/index/byRequester']] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(tables.pool.node.defaultChild as dynamodb.CfnGlobalTable), 'Arn'] }, '/index/byAgentState']] },
    ]);
  });

  test('a function only API Gateway calls has no dead-letter queue: asking for it, or reading a stream, fails at synth', () => {
    const fn = new PlatformFunction(stack, 'Sync', { ...standaloneFunctionDefaults(stack), handler: 'fleet-health', description: 'sync', synchronousOnly: true });
    expect(() => fn.asyncDeadLetterQueue).toThrow(/Grants\/Sync: it is synchronousOnly .* `synchronousOnly: false`/);
    expect(() => fn.readStream(tables.dispatches, { batchSize: 10, retryAttempts: 1 })).toThrow(/synchronousOnly/);
  });
});
