import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DispatchRepository } from '../../../runtime/adapters/dispatch-repository';
import { PoolRepository } from '../../../runtime/adapters/pool-repository';
import type { PlatformConfig } from '../../../runtime/core/config';
import { workerStartedBy } from '../../../runtime/core/pool/started-by';
import { apiRequest as request, callApi as call, type ApiHandler as Handler, type ApiRequestOptions as RequestOptions } from '../../support/api-event';
import { runningTaskEvent, taskEvent } from '../../support/ecs-events';
import { workerKmsEnvironment } from '../../support/moto-kms';
import { startMotoPlatform, type MotoPlatform } from '../../support/moto-platform';
import { fakeAgent, WorkerProcess } from '../../worker/support/worker-process';
import { ALICE, queued } from '../dispatch/support/dispatches';
import { INDEXES } from '../dispatch/support/platform-tables';
import { streamRecord } from '../outbox/stream-records';

const execFileAsync = promisify(execFile);
const ASSETS = path.join(__dirname, '..', '..', '..', 'assets');
/** Precedes the handler's answer on stdout, where its logger writes too. */
const ANSWER = '\n--answer--';

/**
 * The handlers as they ship (assets/handlers/<name>/index.js), each invocation in a fresh Node.js process as
 * on a Lambda cold start, with the worker as it ships, against moto. The bundles are not the source: esbuild
 * aliases the SDK's credential chain (runtime/lambda/credentials.ts) and rewrites its schemas
 * (scripts/literal-trait-keys.ts), and each handler bundles only the clients it imports. Dispatches go
 * through every control-plane handler and every AWS call they make (health: test/runtime/health.test.ts); the
 * pool scaler starts a worker.
 */
describe('the bundled handlers (moto + the bundled worker)', () => {
  let platform: MotoPlatform;
  let home: string;
  let config: PlatformConfig;
  let ecs: ECSClient;
  let worker: WorkerProcess | undefined;

  /** The handler `name` as Lambda loads it, with the platform's OUTPOST_CONFIG as it is when it is invoked. */
  function bundled(name: string): Handler {
    const file = path.join(ASSETS, 'handlers', name, 'index.js');
    return async (event) => {
      const script = `require(${JSON.stringify(file)}).handler(JSON.parse(process.argv[1]))`
        + `.then((answer) => process.stdout.write(${JSON.stringify(ANSWER)} + JSON.stringify(answer ?? null)))`;
      const { stdout } = await execFileAsync(process.execPath, ['-e', script, JSON.stringify(event)], {
        env: { ...process.env, OUTPOST_CONFIG: JSON.stringify(config) },
      });
      return JSON.parse(stdout.slice(stdout.lastIndexOf(ANSWER) + ANSWER.length));
    };
  }

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ASSETS, 'handlers'))) {
      throw new Error(`${ASSETS} is missing: run \`npx projen bundle:runtime\` first`);
    }
    platform = await startMotoPlatform();
    ecs = new ECSClient({});
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bundled-'));
    config = platform.config;
  });
  afterAll(async () => {
    worker?.kill();
    await platform.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  const api = (name: string, routeKey: string, options: RequestOptions = {}) => call(bundled(name), request(routeKey, ALICE, options));
  const status = async (id: string): Promise<string> => (await api('dispatch-read', 'GET /dispatch/{id}', { id })).body.status;

  /** The bundled starter, given the dispatch `id` as the dispatches stream delivers a new one handed to it. */
  async function coldStart(id: string): Promise<void> {
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const { Item } = await documents.send(new GetCommand({ TableName: platform.tables.dispatches, Key: { id } }));
    expect(Item).toMatchObject({ status: 'QUEUED', coldStartRequestedAt: expect.any(String) });
    expect(await bundled('dispatch-starter')({ Records: [streamRecord('INSERT', undefined, Item, '1')] })).toEqual({ batchItemFailures: [] });
  }

  /** The task RunTask started for a dispatch, and the token's ciphertext it gave the task's worker. */
  async function taskOf(id: string): Promise<{ taskArn: string; tokenCiphertext: string }> {
    const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster: 'outpost', startedBy: workerStartedBy(id) }));
    const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: taskArns }));
    const environment = tasks[0]?.overrides?.containerOverrides?.[0]?.environment ?? [];
    return { taskArn: taskArns[0], tokenCiphertext: environment.find(({ name }) => name === 'OUTPOST_WORKER_TOKEN_CIPHERTEXT')!.value! };
  }

  test('a run: created, handed to its worker, finished from its result; its artifacts and logs read', async () => {
    const created = await api('dispatch-create', 'POST /dispatch', { body: { agent: 'claude', prompt: 'add a CHANGELOG entry' } });
    expect(created).toMatchObject({ statusCode: 202, body: { status: 'QUEUED' } });
    const id: string = created.body.id;
    await coldStart(id);
    expect(await status(id)).toBe('STARTING');
    // No result.json yet: S3 answers NoSuchKey, which the bundle must still recognize.
    expect(await api('dispatch-read', 'GET /artifacts/{id}', { id })).toMatchObject({ statusCode: 200, body: { artifacts: [], result: null } });

    // The task's worker turns healthy: the hand-off presigns its upload (a POST policy) and pushes the assignment.
    const { taskArn, tokenCiphertext } = await taskOf(id);
    worker = await WorkerProcess.start(path.join(ASSETS, 'worker', 'worker.js'), {
      OUTPOST_AGENT: 'claude',
      ...workerKmsEnvironment(),
      OUTPOST_WORKER_TOKEN_CIPHERTEXT: tokenCiphertext,
      OUTPOST_CLUSTER: platform.config.cluster,
      OUTPOST_AGENT_COMMAND: fakeAgent('claude'),
      OUTPOST_WORKSPACE_ROOT: path.join(home, 'workspace'),
      HOME: home,
    });
    config = { ...config, workerPort: worker.port };
    await bundled('task-ready')(runningTaskEvent(workerStartedBy(id), { taskArn, privateIp: '127.0.0.1' }));
    expect(await status(id)).toBe('RUNNING');

    // The worker uploads through the presigned POST; the task stops, and the result is read back from S3.
    const exitCode = await worker.exited;
    await bundled('task-stopped')(taskEvent({
      lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', containers: [{ name: 'agent', exitCode }],
    }, { taskArn }));
    expect(await api('dispatch-read', 'GET /dispatch/{id}', { id })).toMatchObject({ body: { status: 'COMPLETED', exitCode: 0 } });

    const { body } = await api('dispatch-read', 'GET /artifacts/{id}', { id });
    expect(body.result).toMatchObject({ durationSeconds: expect.any(Number) });
    const resultFile = (body.artifacts as Array<{ name: string; url: string }>).find(({ name }) => name === 'result.json')!;
    const download = await fetch(resultFile.url);
    expect(download.status).toBe(200);
    expect(await download.json()).toMatchObject({ dispatchId: id, status: 'succeeded' });
    // moto keeps no agent logs: the stream is missing, which reads as no lines yet.
    expect(await api('dispatch-read', 'GET /dispatch/{id}/logs', { id })).toMatchObject({ statusCode: 200, body: { lines: [] } });
  });

  test('cancel stops the task; the sweeper then ends exactly the dispatches past their time and leaves the rest', async () => {
    const { body: { id } } = await api('dispatch-create', 'POST /dispatch', { body: { agent: 'claude', prompt: 'update the README' } });
    await coldStart(id);
    expect(await api('dispatch-cancel', 'DELETE /dispatch/{id}', { id })).toMatchObject({ statusCode: 202, body: { status: 'CANCELLED' } });
    const desired = async (taskArn: string) => (await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: [taskArn] }))).tasks?.[0].desiredStatus;
    expect(await desired((await taskOf(id)).taskArn)).toBe('STOPPED');

    // What the sweeper must end: a dispatch QUEUED for 10 minutes (its create was interrupted), and a run past its
    // deadline. What it must leave: a dispatch queued a moment ago, a run within its deadline, the cancelled one.
    const dispatches = new DispatchRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), platform.tables.dispatches, INDEXES);
    const stuck = queued({ agent: 'claude' }, ALICE, new Date(Date.now() - 10 * 60_000));
    const fresh = queued({ agent: 'claude' }, ALICE, new Date());
    await dispatches.create(stuck);
    await dispatches.create(fresh);
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const running = async (timeoutSeconds: number) => {
      const { body: created } = await api('dispatch-create', 'POST /dispatch', { body: { agent: 'claude', prompt: 'add tests', timeoutSeconds } });
      await coldStart(created.id);
      const starting = (await dispatches.get(created.id))!;
      await dispatches.transition(starting, 'RUNNING', new Date());
      return { id: created.id as string, taskArn: starting.taskArn! };
    };
    const overdue = await running(60);
    const onTime = await running(3600);
    // The deadline is set when the task is started, from the real clock: the overdue run's is moved a minute into the past.
    await documents.send(new UpdateCommand({
      TableName: platform.tables.dispatches, Key: { id: overdue.id }, UpdateExpression: 'SET deadline = :past', ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
    }));
    const before = await statuses();

    await expect(bundled('sweeper')({})).resolves.toBeNull();

    const after = await statuses();
    const changed = Object.keys(after).filter((key) => after[key] !== before[key]).sort();
    expect(changed).toEqual([overdue.id, stuck.id].sort());
    expect(await dispatches.get(stuck.id)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('could not be started') });
    expect(await dispatches.get(overdue.id)).toMatchObject({ status: 'TIMED_OUT', error: 'the run passed its 60 s timeout' });
    expect(await desired(overdue.taskArn)).toBe('STOPPED');
    expect([after[fresh.id], after[onTime.id], after[id]]).toEqual(['QUEUED', 'RUNNING', 'CANCELLED']);
    expect(await desired(onTime.taskArn)).toBe('RUNNING');
  });

  /** Every dispatch's status, by id, as the table holds it. */
  async function statuses(): Promise<Record<string, string>> {
    const { Items = [] } = await DynamoDBDocumentClient.from(new DynamoDBClient({})).send(new ScanCommand({ TableName: platform.tables.dispatches, ProjectionExpression: 'id, #status', ExpressionAttributeNames: { '#status': 'status' } }));
    return Object.fromEntries(Items.map((item) => [item.id, item.status]));
  }

  test('the outbox publishes a status change and audits it', async () => {
    const dispatch = { id: '01JD3V4N6Q8W2X5Y7Z9A1B3C4D', agent: 'claude', requester: ALICE, createdAt: '2026-11-24T14:00:00.000Z' };
    const record = {
      eventName: 'MODIFY',
      dynamodb: {
        SequenceNumber: '1',
        OldImage: marshall({ ...dispatch, status: 'QUEUED', updatedAt: dispatch.createdAt }),
        NewImage: marshall({ ...dispatch, status: 'STARTING', updatedAt: '2026-11-24T14:00:01.000Z' }),
      },
    };
    expect(await bundled('outbox')({ Records: [record] })).toEqual({ batchItemFailures: [] });
  });

  test('the pool scaler, on its minute, starts at least the pool\'s floor of workers and registers each', async () => {
    process.env.OUTPOST_POOLS = JSON.stringify({ claude: { enabled: true, minIdle: 1 } });
    try {
      await bundled('pool-scaler')({ 'source': 'aws.events', 'detail-type': 'Scheduled Event', 'detail': {} });
    } finally {
      delete process.env.OUTPOST_POOLS;
    }
    const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster: 'outpost', startedBy: workerStartedBy() }));
    // At least the floor; the policy may want more for the dispatches of the tests above.
    expect(taskArns.length).toBeGreaterThanOrEqual(1);
    const workers = await new PoolRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.tables.pool).workersOf('claude');
    const starting = workers.filter((item) => item.state === 'STARTING');
    expect(starting.map((item) => item.taskArn).sort()).toEqual([...taskArns].sort());
  });
});
