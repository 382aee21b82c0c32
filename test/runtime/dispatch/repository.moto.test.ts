import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ALICE, BOB, queued } from './support/dispatches';
import { createPlatformTables, INDEXES, type TableNames } from './support/platform-tables';
import { DispatchRepository } from '../../../runtime/adapters/dispatch-repository';
import { PoolRepository } from '../../../runtime/adapters/pool-repository';
import { idempotencyItemId, type Dispatch } from '../../../runtime/core/dispatch/dispatch';
import { DispatchStatus } from '../../../runtime/core/dispatch/states';
import { MotoServer, startMoto } from '../../support/moto-server';
import { startSerializingProxy } from '../pool/serializing-proxy';

const { QUEUED, STARTING, RUNNING, COMPLETED, CANCELLED } = DispatchStatus;
const AT = new Date('2026-01-02T03:05:00.000Z');

describe('DispatchRepository against DynamoDB (moto)', () => {
  let moto: MotoServer;
  let client: DynamoDBClient;
  let documents: DynamoDBDocumentClient;
  let tables: TableNames;
  let repository: DispatchRepository;

  beforeAll(async () => {
    moto = await startMoto();
    client = new DynamoDBClient({});
    documents = DynamoDBDocumentClient.from(client);
  });
  afterAll(async () => {
    client.destroy();
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    tables = await createPlatformTables(client);
    repository = new DispatchRepository(documents, tables.dispatches, INDEXES);
  });

  /** Creates a dispatch the way `POST /dispatch` will: with the idempotency item when a key is given. */
  async function create(dispatch: Dispatch) {
    const key = dispatch.idempotencyKey;
    return repository.create(dispatch, key === undefined ? undefined : idempotencyItemId(dispatch.requester, key));
  }

  test('create, then get returns the dispatch as written', async () => {
    const dispatch = queued({ repository: { url: 'https://github.com/org/repo.git' }, workspace: { kind: 'persistent', name: 'alice-main' } });
    expect(await create(dispatch)).toEqual({ created: true, dispatch });
    expect(await repository.get(dispatch.id)).toEqual(dispatch);
  });

  test('get answers undefined for an unknown id and never serves an idempotency item', async () => {
    const dispatch = queued({ idempotencyKey: 'retry-1' });
    await create(dispatch);
    expect(await repository.get(queued().id)).toBeUndefined();
    const itemId = idempotencyItemId(ALICE, 'retry-1');
    expect((await documents.send(new GetCommand({ TableName: tables.dispatches, Key: { id: itemId } }))).Item).toBeDefined();
    expect(await repository.get(itemId)).toBeUndefined();
  });

  test('an id that already exists is not overwritten', async () => {
    const dispatch = queued();
    await create(dispatch);
    await expect(create({ ...dispatch, prompt: 'something else' })).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect((await repository.get(dispatch.id))?.prompt).toBe(dispatch.prompt);
  });

  describe('idempotency', () => {
    test('the same key twice from the same requester returns the first dispatch and writes no second', async () => {
      const first = queued({ idempotencyKey: 'deploy-42' });
      const second = queued({ idempotencyKey: 'deploy-42', prompt: 'a retry of the same request' });
      expect(await create(first)).toEqual({ created: true, dispatch: first });
      expect(await create(second)).toEqual({ created: false, dispatch: first });
      expect(await repository.get(second.id)).toBeUndefined();
    });

    test('the same key from another requester makes a new dispatch', async () => {
      const alices = queued({ idempotencyKey: 'deploy-42' }, ALICE);
      const bobs = queued({ idempotencyKey: 'deploy-42' }, BOB);
      await create(alices);
      expect(await create(bobs)).toEqual({ created: true, dispatch: bobs });
      expect(await repository.get(bobs.id)).toEqual(bobs);
    });

    test('concurrent creates with one key make one dispatch, and every caller gets it', async () => {
      const attempts = Array.from({ length: 10 }, () => queued({ idempotencyKey: 'double-click' }));
      const outcomes = await Promise.all(attempts.map((dispatch) => create(dispatch)));
      expect(outcomes.filter((outcome) => outcome.created)).toHaveLength(1);
      const winner = outcomes.find((outcome) => outcome.created)!.dispatch;
      expect(outcomes.map((outcome) => outcome.dispatch.id)).toEqual(attempts.map(() => winner.id));
    });
  });

  describe('listByRequester', () => {
    test('pages through a requester\'s dispatches newest first, and only theirs', async () => {
      const alices = Array.from({ length: 7 }, () => queued({}, ALICE));
      for (const dispatch of alices) {
        await create(dispatch);
        await create(queued({}, BOB));
      }
      // An idempotency item has no requester, so it must not show up in the listing.
      await create(queued({ idempotencyKey: 'k' }, ALICE)).then(({ dispatch }) => alices.push(dispatch));

      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const outcome = await repository.listByRequester(ALICE, { limit: 3, cursor });
        if (!outcome.ok) {
          throw new Error('the repository refused the cursor it returned');
        }
        pages.push(outcome.page.items.map((dispatch) => dispatch.id));
        cursor = outcome.page.cursor;
      } while (cursor !== undefined && pages.length < 10);

      const newestFirst = alices.map((dispatch) => dispatch.id).reverse();
      expect(pages.filter((page) => page.length > 0)).toEqual([newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6)]);
    });

    test('the default page is 25', async () => {
      for (let i = 0; i < 26; i++) {
        await create(queued());
      }
      const page = await repository.listByRequester(ALICE);
      expect(page.ok && page.page.items).toHaveLength(25);
    });

    test('a tampered, foreign or garbage cursor is reported as invalid, not a crash', async () => {
      for (let i = 0; i < 3; i++) {
        await create(queued());
      }
      const first = await repository.listByRequester(ALICE, { limit: 1 });
      const cursor = first.ok ? first.page.cursor : undefined;
      expect(cursor).toBeDefined();
      const decoded = JSON.parse(Buffer.from(cursor!, 'base64url').toString());
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const tampered = [
        encode({ ...decoded, requester: BOB }),
        encode({ ...decoded, id: 'idem#0000' }),
        encode({ ...decoded, extra: 1 }),
        encode([decoded.id]),
        encode(null),
        Buffer.from('{"id":').toString('base64url'),
        `${cursor}!`,
        'x'.repeat(5000),
      ];
      for (const bad of tampered) {
        expect(await repository.listByRequester(ALICE, { cursor: bad })).toEqual({ ok: false, invalidCursor: true });
      }
      const second = await repository.listByRequester(ALICE, { limit: 1, cursor });
      expect(second.ok && second.page.items).toHaveLength(1);
    });
  });

  describe('listByAgentStatus', () => {
    test('lists one agent\'s dispatches in one status, oldest first, across every page', async () => {
      // 12 prompts of 100,000 characters pass DynamoDB's 1 MB page: the listing has to follow LastEvaluatedKey.
      const queuedClaude = Array.from({ length: 12 }, () => queued({ prompt: 'p'.repeat(100_000) }));
      for (const dispatch of queuedClaude) {
        await create(dispatch);
      }
      await create(queued({ agent: 'codex' }));
      const moved = queued();
      await create(moved);
      await repository.transition(moved, STARTING, AT);

      const listed = await repository.listByAgentStatus('claude', QUEUED);
      expect(listed.map((dispatch) => dispatch.id)).toEqual(queuedClaude.map((dispatch) => dispatch.id));
      expect((await repository.listByAgentStatus('claude', STARTING)).map((dispatch) => dispatch.id)).toEqual([moved.id]);
      expect(await repository.listByAgentStatus('gemini', QUEUED)).toEqual([]);
    });
  });

  describe('requestColdStart', () => {
    test('hands a QUEUED dispatch to the starter once; a later request finds it handed over and changes nothing', async () => {
      const dispatch = queued();
      await create(dispatch);
      const requested = await repository.requestColdStart(dispatch, AT);
      expect(requested).toEqual({ ...dispatch, coldStartRequestedAt: AT.toISOString() });
      expect(await repository.requestColdStart(dispatch, new Date(AT.getTime() + 1_000))).toEqual(requested);
      expect(await repository.get(dispatch.id)).toEqual(requested);
    });

    test('a dispatch no longer QUEUED (cancelled meanwhile) is answered as it is, without the request', async () => {
      const dispatch = queued();
      await create(dispatch);
      const cancelled = await repository.transition(dispatch, DispatchStatus.CANCELLED, AT, { reason: 'cancelled by its requester' });
      const answered = await repository.requestColdStart(dispatch, AT);
      expect(answered).toEqual(cancelled.applied && cancelled.dispatch);
      expect(answered).not.toHaveProperty('coldStartRequestedAt');
    });
  });

  describe('markWorkspaceReady', () => {
    test('marks a QUEUED dispatch once; a dispatch no longer QUEUED is left as it is', async () => {
      const waiting = queued();
      await create(waiting);
      await repository.markWorkspaceReady(waiting.id, AT);
      await repository.markWorkspaceReady(waiting.id, new Date(AT.getTime() + 1_000));
      expect(await repository.get(waiting.id)).toEqual({ ...waiting, workspaceReadyAt: AT.toISOString() });

      const cancelled = queued();
      await create(cancelled);
      const outcome = await repository.transition(cancelled, DispatchStatus.CANCELLED, AT, { reason: 'cancelled by its requester' });
      await repository.markWorkspaceReady(cancelled.id, AT);
      expect(await repository.get(cancelled.id)).toEqual(outcome.applied && outcome.dispatch);
    });
  });

  describe('transition', () => {
    test('QUEUED → STARTING → RUNNING → COMPLETED, each applied with the next version', async () => {
      let dispatch = queued({ timeoutSeconds: 600 });
      await create(dispatch);
      const steps = [
        { to: STARTING, at: AT, details: { taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/outpost/abc', warm: true, model: 'claude-sonnet-4-5' } },
        { to: RUNNING, at: new Date(AT.getTime() + 5_000), details: {} },
        { to: COMPLETED, at: new Date(AT.getTime() + 60_000), details: { exitCode: 0, result: { commit: 'abc123', branch: 'outpost/x', tokenUsage: null, durationSeconds: 54 } } },
      ];
      for (const [index, step] of steps.entries()) {
        const outcome = await repository.transition(dispatch, step.to, step.at, step.details);
        expect(outcome).toEqual({ applied: true, dispatch: expect.objectContaining({ status: step.to, version: index + 1, agentStatus: `claude#${step.to}` }) });
        dispatch = outcome.applied ? outcome.dispatch : dispatch;
        expect(await repository.get(dispatch.id)).toEqual(dispatch);
      }
      expect(dispatch).toMatchObject({
        taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/outpost/abc',
        warm: true,
        model: 'claude-sonnet-4-5',
        startedAt: '2026-01-02T03:05:00.000Z',
        deadline: '2026-01-02T03:15:00.000Z',
        finishedAt: '2026-01-02T03:06:00.000Z',
        exitCode: 0,
        result: { commit: 'abc123', branch: 'outpost/x', tokenUsage: null, durationSeconds: 54 },
      });
    });

    test('a repeated transition from a stale copy is not applied, and answers with the dispatch as it is', async () => {
      const dispatch = queued();
      await create(dispatch);
      const first = await repository.transition(dispatch, STARTING, AT);
      expect(first.applied).toBe(true);
      const repeat = await repository.transition(dispatch, STARTING, AT);
      expect(repeat).toEqual({ applied: false, current: expect.objectContaining({ status: STARTING, version: 1 }), reason: expect.stringContaining('STARTING') });
      expect((await repository.get(dispatch.id))?.version).toBe(1);
    });

    test('a backwards transition is refused without a write', async () => {
      const dispatch = queued();
      await create(dispatch);
      const starting = await repository.transition(dispatch, STARTING, AT);
      const started = starting.applied ? starting.dispatch : dispatch;
      const back = await repository.transition(started, QUEUED, AT);
      expect(back).toEqual({ applied: false, current: started, reason: 'a dispatch cannot move from STARTING to QUEUED' });
      expect(await repository.get(dispatch.id)).toEqual(started);
    });

    test('a transition of a dispatch that does not exist is an error, not a created item', async () => {
      const ghost = queued();
      await expect(repository.transition(ghost, STARTING, AT)).rejects.toThrow(/does not exist/);
      expect(await repository.get(ghost.id)).toBeUndefined();
    });

    test('50 concurrent transitions from QUEUED, to STARTING and to CANCELLED: exactly one applies', async () => {
      const dispatch = queued();
      await create(dispatch);
      const racers = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? STARTING : CANCELLED));
      // DynamoDB checks a condition and writes atomically; moto's threaded server does not, so it is handed one
      // request at a time (test/runtime/pool/serializing-proxy.ts): the racers still interleave between requests.
      const proxy = await startSerializingProxy(moto.endpoint);
      const serialized = new DynamoDBClient({ endpoint: proxy.endpoint });
      const racing = new DispatchRepository(DynamoDBDocumentClient.from(serialized), tables.dispatches, INDEXES);
      const outcomes = await Promise.all(racers.map((to) => racing.transition(dispatch, to, AT))).finally(async () => {
        serialized.destroy();
        await proxy.close();
      });
      const applied = outcomes.filter((outcome) => outcome.applied);
      expect(applied).toHaveLength(1);
      const winner = applied[0].applied ? applied[0].dispatch : undefined;
      expect(winner?.version).toBe(1);
      expect(await repository.get(dispatch.id)).toEqual(winner);
      for (const outcome of outcomes.filter((o) => !o.applied)) {
        expect(outcome).toMatchObject({ applied: false, current: { status: winner?.status, version: 1 } });
      }
    });
  });

  describe('writes made with a pool worker, in one transaction', () => {
    let pool: PoolRepository;
    const TASK = 'task-1';

    beforeEach(async () => {
      pool = new PoolRepository(documents, tables.pool);
      await pool.register({ taskId: TASK, taskArn: `arn:aws:ecs:us-east-1:123456789012:task/outpost/${TASK}`, agent: 'claude', tokenCiphertext: 't' });
      await pool.markIdle(TASK, '10.0.0.9');
    });

    const idleWorker = async () => (await pool.get(TASK))!;

    test('createWith writes the dispatch and its claim on the worker together', async () => {
      const dispatch = queued();
      const claim = pool.reserveWrite(await idleWorker(), dispatch.id);
      expect(await repository.createWith(dispatch, undefined, claim)).toEqual({ created: true, dispatch });
      expect(await repository.get(dispatch.id)).toEqual(dispatch);
      expect(await pool.get(TASK)).toMatchObject({ state: 'RESERVED', dispatchId: dispatch.id });
    });

    test('createWith writes nothing when the worker was taken meanwhile', async () => {
      const worker = await idleWorker();
      await pool.claimIdle('claude', 'someone-else');
      const dispatch = queued({ idempotencyKey: 'k' });
      const key = idempotencyItemId(ALICE, 'k');
      expect(await repository.createWith(dispatch, key, pool.reserveWrite(worker, dispatch.id))).toEqual({ created: false, otherWriteRefused: true });
      expect(await repository.get(dispatch.id)).toBeUndefined();
      expect((await documents.send(new GetCommand({ TableName: tables.dispatches, Key: { id: key } }))).Item).toBeUndefined();
      expect(await pool.get(TASK)).toMatchObject({ dispatchId: 'someone-else' });
    });

    test('createWith with a key used before returns the first dispatch and claims nothing', async () => {
      const first = queued({ idempotencyKey: 'k' });
      await create(first);
      const repeat = queued({ idempotencyKey: 'k' });
      const outcome = await repository.createWith(repeat, idempotencyItemId(ALICE, 'k'), pool.reserveWrite(await idleWorker(), repeat.id));
      expect(outcome).toEqual({ created: false, dispatch: first });
      expect(await pool.get(TASK)).toMatchObject({ state: 'IDLE' });
    });

    test('transitionWith moves the dispatch through several states and the worker to BUSY at once', async () => {
      const dispatch = queued({ timeoutSeconds: 600 });
      await repository.createWith(dispatch, undefined, pool.reserveWrite(await idleWorker(), dispatch.id));
      const reserved = (await pool.get(TASK))!;
      const steps = [{ to: STARTING, details: { taskArn: reserved.taskArn, warm: true, model: 'm' } }, { to: RUNNING }];
      const outcome = await repository.transitionWith(dispatch, steps, AT, pool.busyWrite(reserved, dispatch.id));
      const started = { status: RUNNING, version: 2, warm: true, startedAt: AT.toISOString() };
      expect(outcome).toEqual({ applied: true, dispatch: expect.objectContaining(started) });
      expect(await repository.get(dispatch.id)).toEqual(outcome.applied && outcome.dispatch);
      expect(await pool.get(TASK)).toMatchObject({ state: 'BUSY', dispatchId: dispatch.id });
    });

    test('transitionWith applies neither write when the dispatch moved meanwhile, nor when the worker did', async () => {
      const cancelledMeanwhile = queued();
      await repository.createWith(cancelledMeanwhile, undefined, pool.reserveWrite(await idleWorker(), cancelledMeanwhile.id));
      const reserved = (await pool.get(TASK))!;
      await repository.transition(cancelledMeanwhile, CANCELLED, AT, { reason: 'cancelled by alice' });
      const steps = [{ to: STARTING, details: { taskArn: reserved.taskArn, warm: true } }, { to: RUNNING }];
      const busy = pool.busyWrite(reserved, cancelledMeanwhile.id);
      expect(await repository.transitionWith(cancelledMeanwhile, steps, AT, busy)).toMatchObject({ applied: false, current: { status: CANCELLED, statusReason: 'cancelled by alice' } });
      expect(await pool.get(TASK)).toMatchObject({ state: 'RESERVED' });

      await pool.release(TASK, cancelledMeanwhile.id);
      const workerGone = queued();
      await create(workerGone);
      expect(await repository.transitionWith(workerGone, steps, AT, pool.busyWrite(reserved, workerGone.id)))
        .toEqual({ applied: false, current: workerGone, reason: 'the other write of the transaction was refused' });
      expect(await pool.get(TASK)).toMatchObject({ state: 'IDLE' });
    });
  });
});
