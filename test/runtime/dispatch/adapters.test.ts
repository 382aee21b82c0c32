import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { queued } from './support/dispatches';
import { AuditLog } from '../../../runtime/adapters/audit-log';
import { DispatchEvents, EventPublishError } from '../../../runtime/adapters/dispatch-events';
import { DispatchRepository } from '../../../runtime/adapters/dispatch-repository';
import { DispatchStatus } from '../../../runtime/core/dispatch/states';

// What moto cannot be made to do on demand: refuse one PutEvents entry, or cancel a transaction as a conflict.
const eventBridgeMock = mockClient(EventBridgeClient);
const documentMock = mockClient(DynamoDBDocumentClient);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

const cancelled = (...codes: string[]) => new TransactionCanceledException({
  message: 'Transaction cancelled',
  $metadata: {},
  CancellationReasons: codes.map((Code) => ({ Code })),
});

beforeEach(() => {
  eventBridgeMock.reset();
  documentMock.reset();
});

describe('DispatchEvents', () => {
  const dispatch = queued();
  const event = { dispatchId: dispatch.id, agent: dispatch.agent, requester: dispatch.requester, from: DispatchStatus.QUEUED, to: DispatchStatus.CANCELLED, at: '2026-01-02T03:05:00.000Z' };

  test('puts the transition on the configured bus', async () => {
    eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    await new DispatchEvents(new EventBridgeClient({}), 'outpost-bus').publish(event);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)[0].args[0].input.Entries).toEqual([{
      EventBusName: 'outpost-bus',
      Source: 'outpost.dispatch',
      DetailType: 'Dispatch State Change',
      Detail: JSON.stringify(event),
      Time: new Date('2026-01-02T03:05:00.000Z'),
    }]);
  });

  test('a refused entry is an error carrying the entry\'s code, though PutEvents answered 200', async () => {
    eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }] });
    const publishing = new DispatchEvents(new EventBridgeClient({}), 'outpost-bus').publish(event);
    await expect(publishing).rejects.toBeInstanceOf(EventPublishError);
    await expect(publishing).rejects.toMatchObject({ code: 'ThrottlingException', message: 'PutEvents refused the event: ThrottlingException: Rate exceeded' });
  });
});

describe('DispatchRepository.create under contention', () => {
  const repository = () => new DispatchRepository(documents, 'dispatches', { byRequester: 'byRequester', byAgentStatus: 'byAgentStatus' });

  test('a transaction cancelled as a conflict is tried again', async () => {
    documentMock.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).resolves({});
    const dispatch = queued({ idempotencyKey: 'k' });
    expect(await repository().create(dispatch, 'idem#abc')).toEqual({ created: true, dispatch });
    expect(documentMock.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  test('a conflict that persists is thrown after three tries', async () => {
    documentMock.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));
    await expect(repository().create(queued(), 'idem#abc')).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(documentMock.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  test('a dispatch id that already exists is thrown, never answered as an idempotent repeat', async () => {
    documentMock.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    await expect(repository().create(queued(), 'idem#abc')).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(documentMock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});

describe('AuditLog', () => {
  test('records of one moment get increasing event ids, and expire a year after it', async () => {
    documentMock.on(PutCommand).resolves({});
    const audit = new AuditLog(documents, 'audit');
    const record = { entity: 'dispatch#x', at: '2028-02-28T12:00:00.000Z', type: 'Dispatch State Change', detail: {} };
    const ids = [];
    for (let i = 0; i < 50; i++) {
      ids.push(await audit.append(record));
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
    const put = documentMock.commandCalls(PutCommand)[0].args[0].input;
    expect(put).toEqual({
      TableName: 'audit',
      Item: { ...record, eventId: ids[0], expiresAt: Date.parse('2029-02-28T12:00:00.000Z') / 1000 },
      ConditionExpression: 'attribute_not_exists(eventId)',
    });
  });
});
