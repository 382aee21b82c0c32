import * as http from 'http';
import type { AddressInfo } from 'net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { PoolRepository } from '../../../../runtime/adapters/pool-repository';
import { ScalerLeases } from '../../../../runtime/adapters/scaler-leases';
import { WorkerLauncher, type LaunchedWorker } from '../../../../runtime/adapters/worker-launcher';
import type { PoolWorker } from '../../../../runtime/core/pool/pool-worker';
import type { handler as scalerHandler } from '../../../../runtime/handlers/pool-scaler';
import { workerLauncherConfig } from '../../../../runtime/lambda/worker-launcher-config';
import type { ApiHandler } from '../../../support/api-event';
import { customResourceRequest, customResourceResponseProblems } from '../../../support/custom-resource-events';
import { motoWorkerTokenCipher } from '../../../support/moto-kms';
import { MotoPlatform, startMotoPlatform } from '../../../support/moto-platform';
import { streamRecord } from '../../outbox/stream-records';

const MINUTE = 60_000;
const TICK = { 'source': 'aws.events', 'detail-type': 'Scheduled Event', 'detail': {} };
const CONTEXT = { getRemainingTimeInMillis: () => 60_000 };

/**
 * The pool scaler's handler, invoked as Lambda invokes it (the minute's event, a batch of the pool table's
 * stream, CloudFormation's custom resource request), against moto's DynamoDB and ECS: what it leaves in the
 * pool table and the cluster, and the metrics it prints.
 */
describe('the pool scaler (moto)', () => {
  let platform: MotoPlatform;
  let documents: DynamoDBDocumentClient;
  let ecs: ECSClient;
  let launcher: WorkerLauncher;
  let metricLines: string[];
  let pool: PoolRepository;

  beforeAll(async () => {
    platform = await startMotoPlatform();
    documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    ecs = new ECSClient({});
    launcher = new WorkerLauncher(ecs, workerLauncherConfig(platform.config, false), motoWorkerTokenCipher(platform.config.workerTokenKey));
    pool = poolAsOf();
  });
  afterAll(async () => {
    delete process.env.OUTPOST_POOLS;
    await platform.stop();
  });
  beforeEach(async () => {
    // Every test starts from an empty pool and a cluster running nothing.
    const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster: 'outpost' }));
    for (const task of taskArns) {
      await ecs.send(new StopTaskCommand({ cluster: 'outpost', task }));
    }
    for (const table of [platform.tables.pool, platform.tables.dispatches]) {
      const key = table === platform.tables.pool ? 'taskId' : 'id';
      for (const item of (await documents.send(new ScanCommand({ TableName: table }))).Items ?? []) {
        await documents.send(new DeleteCommand({ TableName: table, Key: { [key]: item[key] } }));
      }
    }
    metricLines = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const text = String(chunk);
      if (text.includes('"_aws"')) {
        metricLines.push(text);
      }
      return true;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  /** The scaler as Lambda loads it on a cold start, with this OUTPOST_POOLS (and this OUTPOST_CONFIG). */
  function scaler(pools: Record<string, object>, config = platform.config): ApiHandler {
    process.env.OUTPOST_POOLS = JSON.stringify(pools);
    let handler!: typeof scalerHandler;
    jest.isolateModules(() => {
      handler = platform.handler('pool-scaler', config);
    });
    return (event) => handler(event, CONTEXT);
  }

  /** The pool table as it was `minutesAgo` (its items' `since`), for workers in a state for a while already. */
  const poolAsOf = (minutesAgo = 0) => new PoolRepository(documents, platform.tables.pool, 'byAgentState', () => new Date(Date.now() - minutesAgo * MINUTE));

  async function launch(agent = 'claude'): Promise<LaunchedWorker> {
    const config = { ...workerLauncherConfig(platform.config, false), taskDefinitionArns: { [agent]: platform.agentTaskDefinition } };
    const { launched } = await new WorkerLauncher(ecs, config, motoWorkerTokenCipher(platform.config.workerTokenKey)).launchMany(agent, 1);
    return launched[0];
  }

  /** A pool worker with a real task, IDLE since `idleMinutes` ago. */
  async function idleWorker(idleMinutes: number): Promise<PoolWorker> {
    const task = await launch();
    await poolAsOf(idleMinutes + 1).register({ ...task, agent: 'claude' });
    return (await poolAsOf(idleMinutes).markIdle(task.taskId, '10.0.1.9'))!;
  }

  async function describe(taskArns: readonly string[]): Promise<Task[]> {
    if (taskArns.length === 0) {
      return [];
    }
    return (await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: [...taskArns], include: ['TAGS'] }))).tasks ?? [];
  }

  /** The pool tasks ECS still means to run. */
  async function runningPoolTasks(): Promise<Task[]> {
    const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster: 'outpost', startedBy: 'outpost/pool' }));
    return (await describe(taskArns)).filter((task) => task.desiredStatus === 'RUNNING');
  }

  const stopped = async (taskArn: string) => (await describe([taskArn]))[0].desiredStatus === 'STOPPED';
  const metrics = () => metricLines.map((line) => JSON.parse(line));

  test('the floor: minIdle 2 on an empty pool starts two workers, each registered STARTING with its own token, as ciphertext; the metrics say so', async () => {
    await scaler({ claude: { enabled: true, minIdle: 2 } })(TICK);

    const tasks = await runningPoolTasks();
    expect(tasks).toHaveLength(2);
    const workers = await pool.workersOf('claude');
    expect(workers.map((worker) => worker.state)).toEqual(['STARTING', 'STARTING']);
    // The provider RunTask launched each on, recorded so that its cold start is published per provider.
    expect(workers.map((worker) => worker.capacityProvider)).toEqual(['FARGATE', 'FARGATE']);
    expect(new Set(workers.map((worker) => worker.taskArn))).toEqual(new Set(tasks.map((task) => task.taskArn)));
    for (const task of tasks) {
      const ciphertext = task.overrides?.containerOverrides?.[0]?.environment?.find((variable) => variable.name === 'OUTPOST_WORKER_TOKEN_CIPHERTEXT')?.value;
      expect(workers.find((worker) => worker.taskArn === task.taskArn)?.tokenCiphertext).toBe(ciphertext);
      expect(JSON.stringify(task)).not.toContain(await platform.workerToken(task.taskArn!.split('/').pop()!));
      expect(task.tags).toEqual(expect.arrayContaining([{ key: 'outpost:agent', value: 'claude' }]));
    }
    expect(new Set(await Promise.all(workers.map((worker) => platform.workerToken(worker.taskId)))).size).toBe(2);
    expect(metrics()).toEqual([expect.objectContaining({
      _aws: expect.objectContaining({ CloudWatchMetrics: [expect.objectContaining({ Namespace: 'Outpost', Dimensions: [['agent']] })] }),
      agent: 'claude',
      IdleWorkers: 0,
      StartingWorkers: 2,
      BusyWorkers: 0,
      QueuedDispatches: 0,
    })]);

    // The next minute, the floor is held: nothing more is started.
    await scaler({ claude: { enabled: true, minIdle: 2 } })(TICK);
    expect(await runningPoolTasks()).toHaveLength(2);
  });

  /** The platform's configuration with claude's task definition on `cpuArchitecture`. */
  const claudeOn = (cpuArchitecture: 'x86_64' | 'arm64') =>
    ({ ...platform.config, agents: { claude: { ...platform.config.agents.claude, cpuArchitecture } } });

  test('the Spot share: half of an x86_64 pool\'s workers start on Fargate Spot', async () => {
    await scaler({ claude: { enabled: true, minIdle: 4, spotShare: 0.5 } }, claudeOn('x86_64'))(TICK);
    const providers = (await runningPoolTasks()).map((task) => task.capacityProviderName).sort();
    expect(providers).toEqual(['FARGATE', 'FARGATE', 'FARGATE_SPOT', 'FARGATE_SPOT']);
  });

  test('an arm64 pool given a Spot share (synth refuses it) still starts every worker on demand: Fargate Spot runs no arm64 tasks', async () => {
    await scaler({ claude: { enabled: true, minIdle: 4, spotShare: 0.5 } }, claudeOn('arm64'))(TICK);
    const providers = (await runningPoolTasks()).map((task) => task.capacityProviderName);
    expect(providers).toEqual(['FARGATE', 'FARGATE', 'FARGATE', 'FARGATE']);
  });

  test('reconcile: a pool task no item names is stopped; an item whose task is gone is removed', async () => {
    const orphan = await launch();
    const gone = await idleWorker(5);
    await ecs.send(new StopTaskCommand({ cluster: 'outpost', task: gone.taskArn }));

    await scaler({ claude: { enabled: true } })(TICK);

    expect(await stopped(orphan.taskArn)).toBe(true);
    expect(await pool.get(gone.taskId)).toBeUndefined();
  });

  test('a pool task of an agent without a pool is stopped', async () => {
    const stray = await launch('grok');
    await scaler({ claude: { enabled: true } })(TICK);
    expect(await stopped(stray.taskArn)).toBe(true);
  });

  test('replace: a worker starting for longer than the limit is stopped, and another started in its place', async () => {
    const slow = await launch();
    await poolAsOf(11).register({ ...slow, agent: 'claude' });

    await scaler({ claude: { enabled: true, minIdle: 1 } })(TICK);

    expect(await stopped(slow.taskArn)).toBe(true);
    expect(await pool.get(slow.taskId)).toBeUndefined();
    const replacement = await pool.workersOf('claude');
    expect(replacement).toEqual([expect.objectContaining({ state: 'STARTING' })]);
    expect(replacement[0].taskId).not.toBe(slow.taskId);
  });

  test('idle past the timeout, down to the floor: the longest idle stop first; the floor keeps one idle past its timeout', async () => {
    const [forty, thirty, twenty, one] = [await idleWorker(40), await idleWorker(30), await idleWorker(20), await idleWorker(1)];

    await scaler({ claude: { enabled: true, minIdle: 2 } })(TICK);

    expect(await stopped(forty.taskArn)).toBe(true);
    expect(await stopped(thirty.taskArn)).toBe(true);
    expect((await pool.workersOf('claude')).map((worker) => worker.taskId).sort()).toEqual([twenty.taskId, one.taskId].sort());
    expect(await runningPoolTasks()).toHaveLength(2);
  });

  test('draining: a disabled pool stops its idle and starting workers, and leaves a claimed one to its dispatch', async () => {
    const idle = await idleWorker(1);
    const claimed = await idleWorker(2);
    await pool.claimIdle('claude', ulid());
    const starting = await launch();
    await pool.register({ ...starting, agent: 'claude' });

    await scaler({ claude: { enabled: false, minIdle: 2 } })(TICK);

    for (const worker of [idle, starting]) {
      expect(await stopped(worker.taskArn)).toBe(true);
      expect(await pool.get(worker.taskId)).toBeUndefined();
    }
    expect(await pool.get(claimed.taskId)).toMatchObject({ state: 'RESERVED' });
    expect(await stopped(claimed.taskArn)).toBe(false);
  });

  test('the event path: a claim is replaced at once, on the stream record, not on the next minute', async () => {
    const worker = await idleWorker(3);
    const claimed = (await pool.claimIdle('claude', ulid()))!;
    expect(claimed.taskId).toBe(worker.taskId);

    await scaler({ claude: { enabled: true, minIdle: 1 } })({ Records: [{ ...streamRecord('MODIFY', worker, claimed), eventSource: 'aws:dynamodb' }] });

    const workers = await pool.workersOf('claude');
    expect(workers.map((item) => item.state).sort()).toEqual(['RESERVED', 'STARTING']);
    expect(await runningPoolTasks()).toHaveLength(2);
  });

  test('a worker that became healthy measures its cold start: kept with the agent\'s samples, and published by agent and by capacity provider', async () => {
    const before = { taskId: 't', agent: 'claude', state: 'STARTING', since: '2026-11-24T14:00:00.000Z', capacityProvider: 'FARGATE_SPOT' };
    const after = { ...before, state: 'IDLE', since: '2026-11-24T14:01:02.000Z' };

    await scaler({ claude: { enabled: true } })({ Records: [{ ...streamRecord('MODIFY', before, after), eventSource: 'aws:dynamodb' }] });

    const { Item } = await documents.send(new GetCommand({ TableName: platform.tables.pool, Key: { taskId: 'scaler#claude' } }));
    expect(Item).toMatchObject({ coldStartSeconds: [62] });
    expect(Item?.leaseOwner).toBeUndefined();
    expect(metrics()).toEqual([
      expect.objectContaining({ agent: 'claude', ColdStartSeconds: 62, IdleWorkers: expect.any(Number) }),
      expect.objectContaining({ agent: 'claude', capacityProvider: 'FARGATE_SPOT', ColdStartSeconds: 62 }),
    ]);
  });

  test('the lease: while another run holds the agent\'s pool, the minute\'s run leaves it alone', async () => {
    const leases = new ScalerLeases(documents, platform.tables.pool);
    const held = (await leases.acquire('claude', Date.now(), 2 * MINUTE))!;

    await scaler({ claude: { enabled: true, minIdle: 2 } })(TICK);
    expect(await runningPoolTasks()).toHaveLength(0);

    await leases.release(held, held);
    await scaler({ claude: { enabled: true, minIdle: 2 } })(TICK);
    expect(await runningPoolTasks()).toHaveLength(2);
  });

  test('stack deletion: the custom resource stops every pool worker, of every agent and state, and answers CloudFormation', async () => {
    const answers: Array<{ method?: string; body: any }> = [];
    const server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        answers.push({ method: request.method, body: JSON.parse(body) });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const idle = await idleWorker(1);
      const unregistered = await launch('codex');
      const coldStart = await launcher.launch({ agent: 'claude', dispatchId: ulid() });
      const responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
      const request = customResourceRequest('Delete', { responseUrl });

      await scaler({ claude: { enabled: true, minIdle: 2 } })(request);

      expect(await stopped(idle.taskArn)).toBe(true);
      expect(await stopped(unregistered.taskArn)).toBe(true);
      expect(await pool.get(idle.taskId)).toBeUndefined();
      expect(await stopped(coldStart.taskArn)).toBe(false);
      expect(answers).toEqual([{
        method: 'PUT',
        body: expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'outpost-pool-drain', RequestId: 'request-1', LogicalResourceId: 'PoolDrain', StackId: request.StackId }),
      }]);
      expect(customResourceResponseProblems(answers[0].body, request)).toEqual([]);

      // Create and Update drain nothing.
      const create = customResourceRequest('Create', { responseUrl, requestId: 'request-2' });
      await scaler({ claude: { enabled: true, minIdle: 2 } })(create);
      const update = customResourceRequest('Update', { responseUrl, requestId: 'request-3' });
      await scaler({ claude: { enabled: true, minIdle: 2 } })(update);
      expect(answers.slice(1).map(({ body }) => body)).toEqual([
        expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'outpost-pool-drain', RequestId: 'request-2' }),
        expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'outpost-pool-drain', RequestId: 'request-3' }),
      ]);
      expect(customResourceResponseProblems(answers[1].body, create)).toEqual([]);
      expect(customResourceResponseProblems(answers[2].body, update)).toEqual([]);
      expect(await stopped(coldStart.taskArn)).toBe(false);
    } finally {
      server.close();
    }
  });
});
