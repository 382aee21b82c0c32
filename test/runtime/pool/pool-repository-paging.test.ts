import { ConditionalCheckFailedException, DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { PoolRepository } from '../../../runtime/adapters/pool-repository';

const documentMock = mockClient(DynamoDBDocumentClient);
const lostRace = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 } });
const reserved = (taskId: string) => ({
  taskId, taskArn: `arn:${taskId}`, agent: 'claude', state: 'RESERVED', agentState: 'claude#RESERVED', since: '2026-01-01T00:00:00.000Z', tokenCiphertext: 't', dispatchId: 'd1',
});
const idle = (taskId: string) => ({ ...reserved(taskId), state: 'IDLE', agentState: 'claude#IDLE', dispatchId: undefined, privateIp: '10.0.0.1' });
const pageOneEnd = { taskId: 'b', agentState: 'claude#IDLE', since: '2026-01-01T00:00:02.000Z' };

beforeEach(() => {
  documentMock.reset();
});

function repository() {
  return new PoolRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'pool');
}

describe('claimIdle when the index is stale', () => {
  test('every candidate of a page taken by others: it pages on, oldest first, and claims from the next page', async () => {
    documentMock.on(QueryCommand)
      .resolvesOnce({ Items: [idle('a'), idle('b')], LastEvaluatedKey: pageOneEnd })
      .resolvesOnce({ Items: [idle('c')] });
    documentMock.on(UpdateCommand).rejects(lostRace());
    documentMock.on(UpdateCommand, { Key: { taskId: 'c' } }).resolves({ Attributes: reserved('c') });

    expect((await repository().claimIdle('claude', 'd1'))?.taskId).toBe('c');

    const queries = documentMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries).toHaveLength(2);
    expect(queries[0]).toMatchObject({ IndexName: 'byAgentState', ExpressionAttributeValues: { ':idle': 'claude#IDLE' }, ScanIndexForward: true, ExclusiveStartKey: undefined });
    expect(queries[1].ExclusiveStartKey).toEqual(pageOneEnd);
    const updates = documentMock.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates.map((update) => update.Key?.taskId)).toEqual(['a', 'b', 'c']);
    expect(updates[0]).toMatchObject({ ConditionExpression: 'agentState = :from', ExpressionAttributeValues: expect.objectContaining({ ':from': 'claude#IDLE', ':dispatchId': 'd1' }) });
  });

  test('every candidate on every page taken: null, without reading past the last page', async () => {
    documentMock.on(QueryCommand).resolvesOnce({ Items: [idle('a')], LastEvaluatedKey: pageOneEnd }).resolvesOnce({ Items: [idle('b')] });
    documentMock.on(UpdateCommand).rejects(lostRace());
    expect(await repository().claimIdle('claude', 'd1')).toBeNull();
    expect(documentMock.commandCalls(QueryCommand)).toHaveLength(2);
  });

  test('an error other than a lost race is not mistaken for one', async () => {
    documentMock.on(QueryCommand).resolves({ Items: [idle('a'), idle('b')] });
    documentMock.on(UpdateCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: { httpStatusCode: 400 } }));
    await expect(repository().claimIdle('claude', 'd1')).rejects.toThrow('slow down');
    expect(documentMock.commandCalls(UpdateCommand)).toHaveLength(1);
  });
});
