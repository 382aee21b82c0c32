import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DispatchRepository } from '../../../runtime/adapters/dispatch-repository';
import { STARTING_WORKER_PATIENCE } from '../../../runtime/core/handoff/worker-patience';
import { apiRequest as request, callApi as call, type ApiHandler as Handler } from '../../support/api-event';
import { runningTaskEvent, taskEvent } from '../../support/ecs-events';
import { MotoPlatform, startMotoPlatform } from '../../support/moto-platform';
import { metricLines, printed } from '../../support/printed';
import { freePort } from '../../worker/support/worker-process';
import { ALICE, queued } from '../dispatch/support/dispatches';
import { INDEXES } from '../dispatch/support/platform-tables';

/**
 * Each handler that acts on a dispatch writes its id as `correlation_id` on every line about it (Powertools'
 * Logger and JsonLogger alike), so one Logs Insights query finds a dispatch's whole story; the outbox and the
 * sweeper publish their metrics in the embedded metric format on the same output.
 */
describe('handlers log with the dispatch id as correlation id (moto)', () => {
  let platform: MotoPlatform;
  let dispatches: DispatchRepository;
  let create: Handler;

  beforeAll(async () => {
    platform = await startMotoPlatform();
    dispatches = new DispatchRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), platform.tables.dispatches, INDEXES);
    create = platform.handler('dispatch-create');
  });
  afterAll(() => platform.stop());

  const createDispatch = async (): Promise<{ id: string; lines: any[] }> => {
    let id = '';
    const lines = await printed(async () => {
      id = (await call(create, request('POST /dispatch', ALICE, { body: { agent: 'claude', prompt: 'fix the failing test' } }))).body.id;
      await platform.deliverColdStarts();
    });
    return { id, lines };
  };

  test('dispatch-create, the starter, then task-stopped as its task stops: every line names the dispatch (and the task)', async () => {
    const { id, lines } = await createDispatch();
    expect(lines).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'dispatch created', service: 'outpost-dispatch-create', correlation_id: id, status: 'QUEUED' }),
      expect.objectContaining({ level: 'INFO', message: 'cold start handled', service: 'outpost-dispatch-starter', correlation_id: id, status: 'STARTING' }),
    ]);

    const { taskArn } = (await dispatches.get(id))!;
    const stopped = taskEvent({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError', startedBy: `outpost/${id}` }, { taskArn });
    const taskLines = await printed(() => platform.handler('task-stopped')(stopped));
    expect(taskLines.length).toBeGreaterThan(0);
    expect(taskLines).toEqual(taskLines.map(() => expect.objectContaining({ service: 'outpost-task-stopped', correlation_id: id, taskId: taskArn!.split('/').pop() })));
    expect((await dispatches.get(id))!.status).toBe('FAILED');
  });

  test('task-ready, as a cold start\'s task is RUNNING: a worker that never answers is given up on within 30 s, logged with the dispatch and the task', async () => {
    const { id } = await createDispatch();
    const { taskArn } = (await dispatches.get(id))!;
    const running = runningTaskEvent(`outpost/${id}`, { taskArn, privateIp: '127.0.0.1' });
    let failure: unknown;
    // Nothing listens on the worker port: the handler asks for the whole of its patience, then the event is to be retried.
    const workerPort = await freePort();
    const began = Date.now();
    const lines = await printed(() => platform.handler('task-ready', { ...platform.config, workerPort })(running).catch((error) => { failure = error; }));
    const elapsed = Date.now() - began;
    expect(failure).toMatchObject({ name: 'RetryLater', message: expect.stringMatching(/^the worker at 127\.0\.0\.1:\d+ did not answer in (2[6-9]|30)\.\d s \(\d+ attempts\); last: worker unreachable: TypeError \(fetch failed, ECONNREFUSED\)$/) });
    expect(elapsed).toBeGreaterThanOrEqual(STARTING_WORKER_PATIENCE.budgetMs - 4_000);
    expect(elapsed).toBeLessThan(STARTING_WORKER_PATIENCE.budgetMs + 3_000);
    expect(lines).toEqual([expect.objectContaining({ level: 'ERROR', message: 'the handler failed', service: 'outpost-task-ready', correlation_id: id, taskId: taskArn!.split('/').pop() })]);
  }, 60_000);

  test('dispatch-cancel', async () => {
    const { id } = await createDispatch();
    const lines = await printed(() => call(platform.handler('dispatch-cancel'), request('DELETE /dispatch/{id}', ALICE, { id })));
    expect(lines).toEqual([expect.objectContaining({ message: 'dispatch cancelled', service: 'outpost-dispatch-cancel', correlation_id: id, from: 'STARTING' })]);
  });

  test('dispatch-read logs a failure with the dispatch id', async () => {
    const { id } = await createDispatch();
    const read = platform.handler('dispatch-read', { ...platform.config, tables: { ...platform.config.tables, dispatches: 'no-such-table' } });
    let failure: unknown;
    const lines = await printed(() => call(read, request('GET /dispatch/{id}', ALICE, { id })).catch((error) => { failure = error; }));
    expect(failure).toBeInstanceOf(Error);
    expect(lines).toEqual([expect.objectContaining({ level: 'ERROR', message: 'the handler failed', service: 'outpost-dispatch-read', correlation_id: id })]);
  });

  test('outbox: each move logged with the dispatch id; transitions, the warm start and the wait as metrics', async () => {
    const id = '01JD3V4N6Q8W2X5Y7Z9A1B3C4D';
    const base = { id, agent: 'claude', requester: ALICE, createdAt: '2026-11-24T14:00:00.000Z' };
    const lines = await printed(() => platform.handler('outbox')({
      Records: [{
        eventName: 'MODIFY',
        dynamodb: {
          SequenceNumber: '1',
          OldImage: marshall({ ...base, status: 'QUEUED', updatedAt: base.createdAt }),
          NewImage: marshall({ ...base, status: 'RUNNING', warm: true, updatedAt: '2026-11-24T14:00:00.500Z' }),
        },
      }],
    }));
    const logs = lines.filter((line) => !line._aws);
    expect(logs.map((line) => [line.message, line.to, line.correlation_id])).toEqual([['dispatch moved', 'STARTING', id], ['dispatch moved', 'RUNNING', id]]);
    const metrics = metricLines(lines);
    expect(metrics).toEqual([
      expect.objectContaining({ state: 'STARTING', DispatchTransitions: 1, correlation_id: id }),
      expect.objectContaining({ state: 'RUNNING', DispatchTransitions: 1, correlation_id: id }),
      expect.objectContaining({ agent: 'claude', WarmStarts: 1, WaitSeconds: 0.5, correlation_id: id }),
    ]);
  });

  test('sweeper: the stuck dispatch it failed, logged with its id, and StuckDispatches per agent; a fresh one neither failed nor logged', async () => {
    const stuck = queued({ agent: 'claude' }, ALICE, new Date(Date.now() - 10 * 60_000));
    const fresh = queued({ agent: 'claude' }, ALICE, new Date());
    await dispatches.create(stuck);
    await dispatches.create(fresh);
    const lines = await printed(() => platform.handler('sweeper')({}));
    const swept = lines.filter((line) => !line._aws && line.message === 'swept');
    expect(swept).toEqual(expect.arrayContaining([
      expect.objectContaining({ message: 'swept', service: 'outpost-sweeper', correlation_id: stuck.id, outcome: 'FAILED', agent: 'claude' }),
    ]));
    expect(swept.map((line) => line.correlation_id)).not.toContain(fresh.id);
    expect(await dispatches.get(stuck.id)).toMatchObject({ status: 'FAILED' });
    expect(await dispatches.get(fresh.id)).toMatchObject({ status: 'QUEUED', updatedAt: fresh.updatedAt });
    const [metric] = metricLines(lines);
    expect(metric._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Outpost', Dimensions: [['agent']] });
    expect(metric).toMatchObject({ agent: 'claude', StuckDispatches: expect.any(Number) });
    expect(metric.StuckDispatches).toBeGreaterThanOrEqual(1);
  });
});
