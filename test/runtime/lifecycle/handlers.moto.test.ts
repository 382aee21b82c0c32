import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTasksCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DispatchRepository } from '../../../runtime/adapters/dispatch-repository';
import { PoolRepository } from '../../../runtime/adapters/pool-repository';
import { apiRequest as request, callApi as call, type ApiHandler as Handler } from '../../support/api-event';
import { MotoPlatform, startMotoPlatform } from '../../support/moto-platform';
import { ALICE, BOB, CALLER_RULES, queued } from '../dispatch/support/dispatches';
import { INDEXES, type TableNames } from '../dispatch/support/platform-tables';

describe('control-plane handlers, invoked as Lambda would invoke them (moto)', () => {
  let platform: MotoPlatform;
  let tables: TableNames;
  let documents: DynamoDBDocumentClient;
  let create: Handler;
  let read: Handler;
  let cancel: Handler;
  let outbox: Handler;
  let fleetHealth: Handler;
  let ecs: ECSClient;

  beforeAll(async () => {
    platform = await startMotoPlatform();
    tables = platform.tables;
    documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    ecs = new ECSClient({});
    create = platform.handler('dispatch-create');
    read = platform.handler('dispatch-read');
    cancel = platform.handler('dispatch-cancel');
    outbox = platform.handler('outbox');
    fleetHealth = platform.handler('fleet-health');
  });
  afterAll(() => platform.stop());

  describe('POST /dispatch', () => {
    test('no identity: 401', async () => {
      expect(await call(create, request('POST /dispatch', undefined, { body: { agent: 'claude', prompt: 'x' } }))).toMatchObject({ statusCode: 401 });
    });

    test.each([
      ['not JSON', '{"agent":', 400, undefined],
      ['a bad field', { agent: 'claude', prompt: 'x', timeoutSeconds: 5 }, 400, 'timeoutSeconds'],
      ['an agent this platform does not run', { agent: 'grok', prompt: 'x' }, 422, 'agent'],
      ['a persistent workspace, on a platform without them', { agent: 'claude', prompt: 'x', workspace: { kind: 'persistent', name: 'main' } }, 422, 'workspace'],
    ])('%s: a 4xx naming the field, and nothing written', async (_name, body, statusCode, field) => {
      const response = await call(create, request('POST /dispatch', BOB, { body }));
      expect(response.statusCode).toBe(statusCode);
      expect(response.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String), ...(field && { field }) });
      const listed = await call(read, request('GET /dispatch', BOB));
      expect(listed.body.items).toEqual([]);
    });

    test('202 with the id; no idle worker, so the starter starts a task for it; the same idempotency key gives the same dispatch', async () => {
      const body = { agent: 'claude', prompt: 'fix the failing test in parser.ts', idempotencyKey: 'ticket-42' };
      const first = await call(create, request('POST /dispatch', ALICE, { body }));
      expect(first).toMatchObject({ statusCode: 202, body: { id: expect.stringMatching(/^[0-9A-Z]{26}$/), status: 'QUEUED', agent: 'claude' } });
      expect(first.body).not.toHaveProperty('coldStartRequestedAt');
      expect(await platform.deliverColdStarts()).toBe(1);
      expect(await call(read, request('GET /dispatch/{id}', ALICE, { id: first.body.id }))).toMatchObject({ body: { status: 'STARTING', warm: false, model: 'claude-sonnet-4-5' } });
      const again = await call(create, request('POST /dispatch', ALICE, { body }));
      expect(again.body).toMatchObject({ id: first.body.id, status: 'STARTING' });
      expect(await platform.deliverColdStarts()).toBe(0);
      const otherCaller = await call(create, request('POST /dispatch', BOB, { body }));
      expect(otherCaller.body.id).not.toBe(first.body.id);
    });

    test('a repository outside the allow-list: 403 naming it, and nothing written', async () => {
      // A cold start of its own, on a platform with an allow-list: the handler reads OUTPOST_CONFIG once, on its first request.
      let guarded!: Handler;
      jest.isolateModules(() => {
        guarded = jest.requireActual('../../../runtime/handlers/dispatch-create').handler;
      });
      const before = (await call(read, request('GET /dispatch', BOB))).body.items;
      process.env.OUTPOST_CONFIG = JSON.stringify({ ...platform.config, repositories: { allowed: ['github.com/acme/*'] } });
      const refused = await call(guarded, request('POST /dispatch', BOB, { body: { agent: 'claude', prompt: 'x', repository: { url: 'https://github.com/other/tool.git' } } }));
      expect(refused).toMatchObject({
        statusCode: 403,
        body: { error: { code: 'RepositoryNotAllowed', field: 'repository.url', message: 'github.com/other/tool is not among the platform\'s allowed repositories (github.com/acme/*). Ask the platform team to allow it.' } },
      });
      expect((await call(read, request('GET /dispatch', BOB))).body.items).toEqual(before);
      const allowed = await call(guarded, request('POST /dispatch', BOB, { body: { agent: 'claude', prompt: 'x', repository: { url: 'https://github.com/acme/tool.git' } } }));
      expect(allowed.statusCode).toBe(202);
      process.env.OUTPOST_CONFIG = JSON.stringify(platform.config);
      await call(cancel, request('DELETE /dispatch/{id}', BOB, { id: allowed.body.id }));
    });
  });

  test('a session name is no identity unless its role fixes it: without OUTPOST_CALLERS, a dispatch is its role\'s, and another role\'s "alice" gets 404', async () => {
    let create2!: Handler;
    let read2!: Handler;
    let cancel2!: Handler;
    delete process.env.OUTPOST_CALLERS;
    jest.isolateModules(() => {
      create2 = jest.requireActual('../../../runtime/handlers/dispatch-create').handler;
      read2 = jest.requireActual('../../../runtime/handlers/dispatch-read').handler;
      cancel2 = jest.requireActual('../../../runtime/handlers/dispatch-cancel').handler;
    });
    process.env.OUTPOST_CALLERS = CALLER_RULES;
    const created = await call(create2, request('POST /dispatch', ALICE, { body: { agent: 'claude', prompt: 'x' } }));
    expect(created.statusCode).toBe(202);
    const { Items = [] } = await documents.send(new QueryCommand({
      TableName: tables.dispatches, IndexName: INDEXES.byRequester, KeyConditionExpression: 'requester = :r', ExpressionAttributeValues: { ':r': 'arn:aws:sts::123456789012:assumed-role/Dev' },
    }));
    expect(Items.map((item) => item.id)).toEqual([created.body.id]);
    const impostor = 'arn:aws:sts::123456789012:assumed-role/Ops/alice';
    expect(await call(read2, request('GET /dispatch/{id}', impostor, { id: created.body.id }))).toMatchObject({ statusCode: 404 });
    expect(await call(read2, request('GET /dispatch/{id}', 'arn:aws:sts::123456789012:assumed-role/Dev/anyone', { id: created.body.id }))).toMatchObject({ statusCode: 200 });
    expect(await call(cancel2, request('DELETE /dispatch/{id}', ALICE, { id: created.body.id }))).toMatchObject({ statusCode: 202 });
  });

  describe('reading and cancelling', () => {
    let id: string;
    beforeAll(async () => {
      id = (await call(create, request('POST /dispatch', ALICE, { body: { agent: 'claude', modelTier: 'fast', prompt: 'update the README' } }))).body.id;
      await platform.deliverColdStarts();
    });

    test('the owner reads it; another caller gets 404; an admin route reads anyone\'s', async () => {
      expect(await call(read, request('GET /dispatch/{id}', ALICE, { id }))).toMatchObject({ statusCode: 200, body: { id, model: 'claude-haiku-4-5', promptPreview: 'update the README' } });
      expect(await call(read, request('GET /dispatch/{id}', BOB, { id }))).toMatchObject({ statusCode: 404, body: { error: { code: 'NotFound', field: 'id' } } });
      expect(await call(read, request('GET /admin/dispatch/{id}', BOB, { id }))).toMatchObject({ statusCode: 200, body: { id } });
    });

    test('lists the caller\'s dispatches newest first; an admin names the requester', async () => {
      const mine = await call(read, request('GET /dispatch', ALICE));
      expect(mine.body.items[0].id).toBe(id);
      expect(mine.body.items.every((item: { id: string }, i: number, all: Array<{ id: string }>) => i === 0 || all[i - 1].id > item.id)).toBe(true);
      expect(await call(read, request('GET /admin/dispatch', BOB))).toMatchObject({ statusCode: 400, body: { error: { field: 'requester' } } });
      expect((await call(read, request('GET /admin/dispatch', BOB, { query: { requester: ALICE } }))).body.items[0].id).toBe(id);
      expect(await call(read, request('GET /dispatch', ALICE, { query: { limit: '0' } }))).toMatchObject({ statusCode: 400, body: { error: { field: 'limit' } } });
    });

    test('logs and artifacts of a run that has produced none yet', async () => {
      expect(await call(read, request('GET /dispatch/{id}/logs', ALICE, { id }))).toMatchObject({ statusCode: 200, body: { lines: [] } });
      expect(await call(read, request('GET /artifacts/{id}', ALICE, { id }))).toMatchObject({ statusCode: 200, body: { artifacts: [], result: null } });
    });

    test('cancel: another caller cannot; the owner can, once, and the task is stopped; again is a no-op', async () => {
      expect((await call(cancel, request('DELETE /dispatch/{id}', BOB, { id }))).statusCode).toBe(404);
      const cancelled = await call(cancel, request('DELETE /dispatch/{id}', ALICE, { id }));
      expect(cancelled).toMatchObject({ statusCode: 202, body: { status: 'CANCELLED' } });
      expect(await call(cancel, request('DELETE /dispatch/{id}', ALICE, { id }))).toMatchObject({ statusCode: 200, body: { status: 'CANCELLED' } });
      const taskArn = (await documents.send(new QueryCommand({
        TableName: tables.dispatches, IndexName: INDEXES.byRequester, KeyConditionExpression: 'requester = :r', ExpressionAttributeValues: { ':r': ALICE },
      }))).Items!.find((item) => item.id === id)!.taskArn;
      const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: [taskArn] }));
      expect(tasks![0].desiredStatus).toBe('STOPPED');
    });
  });

  describe('outbox', () => {
    test('publishes each status change once and appends it to the audit table; other records are skipped', async () => {
      const base = { id: '01JD3V4N6Q8W2X5Y7Z9A1B3C4D', agent: 'claude', requester: ALICE, createdAt: '2026-11-24T14:00:00.000Z' };
      const record = (eventName: string, sequence: string, before: object | undefined, after: object) => ({
        eventName, dynamodb: { SequenceNumber: sequence, ...(before && { OldImage: marshall(before) }), NewImage: marshall(after) },
      });
      const result = await outbox({
        Records: [
          record('INSERT', '1', undefined, { ...base, status: 'QUEUED', updatedAt: base.createdAt }),
          record('MODIFY', '2', { ...base, status: 'QUEUED' }, { ...base, status: 'STARTING', updatedAt: '2026-11-24T14:00:01.000Z' }),
          record('MODIFY', '3', { ...base, status: 'STARTING' }, { ...base, status: 'STARTING', updatedAt: '2026-11-24T14:00:02.000Z' }),
        ],
      });
      expect(result).toEqual({ batchItemFailures: [] });
      const details = (await platform.publishedEvents()).map((event) => event.detail).filter((detail) => detail.dispatchId === base.id);
      expect(details).toEqual([expect.objectContaining({ from: 'QUEUED', to: 'STARTING' })]);
      const { Items = [] } = await documents.send(new QueryCommand({
        TableName: tables.audit, KeyConditionExpression: 'entity = :e', ExpressionAttributeValues: { ':e': `dispatch#${base.id}` },
      }));
      expect(Items).toHaveLength(1);
    });
  });

  describe('GET /health/fleet', () => {
    test('per agent: workers by state and the queued dispatches, the oldest one\'s wait in seconds', async () => {
      const pool = new PoolRepository(documents, tables.pool);
      for (const [taskId, ready] of [['fleet-idle-1', true], ['fleet-idle-2', true], ['fleet-starting', false]] as const) {
        await pool.register({ taskId, taskArn: `arn:aws:ecs:us-east-1:123456789012:task/outpost/${taskId}`, agent: 'claude', tokenCiphertext: 't' });
        if (ready) {
          await pool.markIdle(taskId, '10.0.0.7');
        }
      }
      await pool.claimIdle('claude', 'a-dispatch');
      const waiting = { ...queued({ agent: 'claude' }), createdAt: new Date(Date.now() - 90_000).toISOString() };
      await new DispatchRepository(documents, tables.dispatches, INDEXES).create(waiting);

      const response = await call(fleetHealth, request('GET /health/fleet', BOB));
      expect(response.statusCode).toBe(200);
      const claude = response.body.agents.claude;
      expect(claude).toMatchObject({ idle: 1, starting: 1, busy: expect.any(Number), draining: 0, queued: expect.any(Number) });
      // Earlier tests of this suite left reserved workers and dispatches of their own: count from those.
      expect(claude.busy).toBeGreaterThanOrEqual(1);
      expect(claude.queued).toBeGreaterThanOrEqual(1);
      expect(claude.oldestQueuedAgeSeconds).toBeGreaterThanOrEqual(89);
      expect(Object.keys(response.body.agents)).toEqual(['claude']);
    });

    test('no identity: 401', async () => {
      expect(await call(fleetHealth, request('GET /health/fleet', undefined))).toMatchObject({ statusCode: 401 });
    });
  });
});
