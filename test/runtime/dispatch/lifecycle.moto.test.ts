import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ALICE, queued } from './support/dispatches';
import { createPlatformTables, INDEXES, type TableNames } from './support/platform-tables';
import { AuditLog } from '../../../runtime/adapters/audit-log';
import { DispatchEvents } from '../../../runtime/adapters/dispatch-events';
import { applyTransition, type LifecycleDeps } from '../../../runtime/adapters/dispatch-lifecycle';
import { DispatchRepository } from '../../../runtime/adapters/dispatch-repository';
import type { Dispatch } from '../../../runtime/core/dispatch/dispatch';
import { DispatchStatus } from '../../../runtime/core/dispatch/states';
import { MotoServer, startMoto } from '../../support/moto-server';

const { QUEUED, STARTING, RUNNING, FAILED, CANCELLED } = DispatchStatus;
const BUS = 'outpost-events';
const LOG_GROUP = '/outpost/dispatch-events';

describe('applyTransition against DynamoDB and EventBridge (moto)', () => {
  let moto: MotoServer;
  let dynamodb: DynamoDBClient;
  let documents: DynamoDBDocumentClient;
  let eventBridge: EventBridgeClient;
  let logs: CloudWatchLogsClient;
  let tables: TableNames;
  let deps: LifecycleDeps & { repository: DispatchRepository };

  beforeAll(async () => {
    moto = await startMoto();
    dynamodb = new DynamoDBClient({});
    documents = DynamoDBDocumentClient.from(dynamodb);
    eventBridge = new EventBridgeClient({});
    logs = new CloudWatchLogsClient({});
  });
  afterAll(async () => {
    for (const client of [dynamodb, eventBridge, logs]) {
      client.destroy();
    }
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    tables = await createPlatformTables(dynamodb);
    // What reaches the bus is read back through a rule that copies dispatch events to a log group.
    await eventBridge.send(new CreateEventBusCommand({ Name: BUS }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
    await eventBridge.send(new PutRuleCommand({ Name: 'dispatch-events', EventBusName: BUS, EventPattern: JSON.stringify({ 'source': ['outpost.dispatch'], 'detail-type': ['Dispatch State Change'] }) }));
    await eventBridge.send(new PutTargetsCommand({
      Rule: 'dispatch-events',
      EventBusName: BUS,
      Targets: [{ Id: 'log', Arn: `arn:aws:logs:us-east-1:123456789012:log-group:${LOG_GROUP}` }],
    }));
    deps = {
      repository: new DispatchRepository(documents, tables.dispatches, INDEXES),
      events: new DispatchEvents(eventBridge, BUS),
      audit: new AuditLog(documents, tables.audit),
    };
  });

  async function publishedEvents(): Promise<{ 'source': string; 'detail-type': string; 'detail': Record<string, unknown> }[]> {
    const { events = [] } = await logs.send(new FilterLogEventsCommand({ logGroupName: LOG_GROUP }));
    return events.map((event) => JSON.parse(event.message!));
  }

  async function auditRecords(dispatchId: string): Promise<Record<string, unknown>[]> {
    const { Items = [] } = await documents.send(new QueryCommand({
      TableName: tables.audit,
      KeyConditionExpression: 'entity = :entity',
      ExpressionAttributeValues: { ':entity': `dispatch#${dispatchId}` },
    }));
    return Items;
  }

  async function created(): Promise<Dispatch> {
    const dispatch = queued();
    await deps.repository.create(dispatch);
    return dispatch;
  }

  test('each applied transition publishes one event and appends one audit record, in order', async () => {
    let dispatch = await created();
    const times = ['2026-01-02T03:05:00.000Z', '2026-01-02T03:05:07.000Z', '2026-01-02T03:09:00.000Z'];
    const steps = [
      { to: STARTING, details: { taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/outpost/abc', warm: false } },
      { to: RUNNING, details: {} },
      { to: FAILED, details: { exitCode: 2, error: 'the agent exited with code 2', reason: 'exit code 2' } },
    ];
    for (const [index, step] of steps.entries()) {
      const outcome = await applyTransition({ ...deps, now: () => new Date(times[index]) }, dispatch, step.to, step.details);
      expect(outcome).toMatchObject({ applied: true, failures: [] });
      dispatch = outcome.applied ? outcome.dispatch : dispatch;
    }

    const events = await publishedEvents();
    expect(events).toHaveLength(3);
    expect(events.map((event) => event.detail).sort((a, b) => String(a.at).localeCompare(String(b.at)))).toEqual([
      { dispatchId: dispatch.id, agent: 'claude', requester: ALICE, from: QUEUED, to: STARTING, at: times[0] },
      { dispatchId: dispatch.id, agent: 'claude', requester: ALICE, from: STARTING, to: RUNNING, at: times[1] },
      { dispatchId: dispatch.id, agent: 'claude', requester: ALICE, from: RUNNING, to: FAILED, at: times[2], reason: 'exit code 2' },
    ]);
    expect(events.every((event) => event.source === 'outpost.dispatch' && event['detail-type'] === 'Dispatch State Change')).toBe(true);

    const records = await auditRecords(dispatch.id);
    expect(records.map((record) => [record.at, (record.detail as { from: string; to: string }).to])).toEqual([
      [times[0], STARTING], [times[1], RUNNING], [times[2], FAILED],
    ]);
    const oneYearOn = Date.parse('2027-01-02T03:05:00.000Z') / 1000;
    expect(records[0]).toEqual({
      entity: `dispatch#${dispatch.id}`,
      eventId: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      at: times[0],
      type: 'Dispatch State Change',
      detail: { agent: 'claude', requester: ALICE, from: QUEUED, to: STARTING },
      expiresAt: oneYearOn,
    });
  });

  test('a transition that is not applied publishes nothing and audits nothing', async () => {
    const dispatch = await created();
    await applyTransition(deps, dispatch, CANCELLED, { reason: 'cancelled by alice' });
    const late = await applyTransition(deps, dispatch, STARTING);
    const refused = await applyTransition(deps, dispatch, RUNNING);
    expect(late).toMatchObject({ applied: false, current: { status: CANCELLED } });
    expect(refused).toMatchObject({ applied: false, reason: 'a dispatch cannot move from QUEUED to RUNNING' });
    expect((await publishedEvents()).map((event) => event.detail.to)).toEqual([CANCELLED]);
    expect(await auditRecords(dispatch.id)).toHaveLength(1);
  });

  test('of 20 racing transitions, only the one applied is published and audited', async () => {
    const dispatch = await created();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => applyTransition(deps, dispatch, i % 2 === 0 ? STARTING : CANCELLED)));
    const applied = outcomes.filter((outcome) => outcome.applied);
    expect(applied).toHaveLength(1);
    const winner = applied[0].applied ? applied[0].dispatch.status : undefined;
    expect((await publishedEvents()).map((event) => event.detail.to)).toEqual([winner]);
    expect((await auditRecords(dispatch.id)).map((record) => (record.detail as { to: string }).to)).toEqual([winner]);
  });

  test('a publish that fails still leaves the audit record and the transition, and is reported', async () => {
    const dispatch = await created();
    const outcome = await applyTransition({ ...deps, events: new DispatchEvents(eventBridge, 'no-such-bus') }, dispatch, CANCELLED);
    expect(outcome).toMatchObject({ applied: true, failures: [{ step: 'publish', error: { name: 'ResourceNotFoundException' } }] });
    expect(await auditRecords(dispatch.id)).toHaveLength(1);
    expect((await deps.repository.get(dispatch.id))?.status).toBe(CANCELLED);
  });

  test('an audit append that fails still publishes the event, and is reported', async () => {
    const dispatch = await created();
    const outcome = await applyTransition({ ...deps, audit: new AuditLog(documents, 'no-such-table') }, dispatch, CANCELLED);
    expect(outcome).toMatchObject({ applied: true, failures: [{ step: 'audit', error: { name: 'ResourceNotFoundException' } }] });
    expect((await publishedEvents()).map((event) => event.detail.to)).toEqual([CANCELLED]);
  });
});
