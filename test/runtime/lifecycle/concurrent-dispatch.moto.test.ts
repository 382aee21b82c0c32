import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { PoolRepository } from '../../../runtime/adapters/pool-repository';
import { WorkerLauncher } from '../../../runtime/adapters/worker-launcher';
import { apiRequest, callApi, type ApiAnswer } from '../../support/api-event';
import { runningTaskEvent } from '../../support/ecs-events';
import { startFakeWorkers, type FakeWorkerFleet } from '../../support/fake-workers';
import { MotoPlatform, startMotoPlatform } from '../../support/moto-platform';
import { ALICE, BOB } from '../dispatch/support/dispatches';
import { SerializingProxy, startSerializingProxy } from '../pool/serializing-proxy';

const WORKERS = 20;
const DISPATCHES = 200;
const CAROL = 'arn:aws:iam::123456789012:user/carol';

/**
 * 200 `POST /dispatch` at once, through the real handler, against 20 idle workers of the one agent: moto
 * behind a proxy that hands it one request at a time (moto checks a condition and writes in separate
 * steps; DynamoDB does both atomically), and workers that answer the hand-off as the real worker does.
 * What is asserted is what callers and operators see: answers, dispatch items, pool items, tasks, pushes.
 */
describe(`${DISPATCHES} concurrent dispatches against ${WORKERS} idle workers of one agent (moto)`, () => {
  let fleet: FakeWorkerFleet;
  let platform: MotoPlatform;
  let proxy: SerializingProxy;
  let documents: DynamoDBDocumentClient;
  let ecs: ECSClient;
  /** The idle workers' tasks, in the order of `fleet.workers`. */
  let poolTasks: string[];

  beforeAll(async () => {
    fleet = await startFakeWorkers(WORKERS, 'claude');
    platform = await startMotoPlatform({ workerPort: fleet.port });
    proxy = await startSerializingProxy(platform.moto.endpoint);
    // The handlers and this test alike reach moto through the proxy (the variable is restored by moto.stop()).
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    ecs = new ECSClient({});

    // The warm pool: tasks started for it, registered, and idle once ECS reports them healthy at their address.
    const { config, tables } = platform;
    const launcher = new WorkerLauncher(ecs, {
      cluster: config.cluster,
      taskDefinitionArns: { claude: config.agents.claude.taskDefinitionArn },
      subnets: config.subnets,
      securityGroups: config.securityGroups,
      spotEnabled: config.spotEnabled,
      containerName: 'agent',
    });
    const { launched } = await launcher.launchMany('claude', WORKERS);
    expect(launched).toHaveLength(WORKERS);
    const pool = new PoolRepository(documents, tables.pool, config.tables.indexes.byAgentState);
    const taskReady = platform.handler('task-ready');
    for (const [index, task] of launched.entries()) {
      const worker = fleet.workers[index];
      worker.token = task.token;
      await pool.register({ taskId: task.taskId, taskArn: task.taskArn, agent: 'claude', token: task.token });
      await taskReady(runningTaskEvent('outpost/pool', { taskArn: task.taskArn, privateIp: worker.privateIp }));
    }
    poolTasks = launched.map((task) => task.taskArn);
    const idle = (await documents.send(new ScanCommand({ TableName: tables.pool }))).Items ?? [];
    expect(idle.map((item) => item.state)).toEqual(Array(WORKERS).fill('IDLE'));
  }, 120_000);
  afterAll(async () => {
    await proxy.close();
    await platform.stop();
    await fleet.close();
  });

  test('exactly 20 warm hand-offs, each worker once; the other 180 started cold (or queued, or failed with a reason); none lost', async () => {
    const create = platform.handler('dispatch-create');
    const callers = [ALICE, BOB, CAROL];
    const answers: ApiAnswer[] = await Promise.all(Array.from({ length: DISPATCHES }, (_, index) => callApi(create, apiRequest('POST /dispatch', callers[index % 3], {
      body: { agent: 'claude', prompt: `dispatch ${index}: fix the flaky test`, timeoutSeconds: 600 },
    }))));

    // Every request answered 202 with a dispatch of its own.
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(DISPATCHES).fill(202));
    const ids = answers.map((answer) => answer.body.id as string);
    expect(new Set(ids).size).toBe(DISPATCHES);
    const warm = answers.filter((answer) => answer.body.warm === true);
    const others = answers.filter((answer) => answer.body.warm !== true);
    expect(warm).toHaveLength(WORKERS);
    for (const { body } of warm) {
      expect(body).toMatchObject({ status: 'RUNNING', model: 'claude-sonnet-4-5' });
    }
    const outcome = (body: any) => (body.status === 'STARTING' && body.warm === false ? 'started cold'
      : body.status === 'QUEUED' ? 'queued'
        : body.status === 'FAILED' && typeof body.error === 'string' && body.error.length > 0 ? 'failed with a reason' : `${body.status} (warm: ${body.warm})`);
    const outcomes = others.map(({ body }) => outcome(body));
    expect(outcomes.filter((kind) => !['started cold', 'queued', 'failed with a reason'].includes(kind))).toEqual([]);

    // None lost: one item per dispatch, in the state its answer gave.
    const items = new Map(((await documents.send(new ScanCommand({ TableName: platform.tables.dispatches }))).Items ?? [])
      .filter((item) => typeof item.requester === 'string')
      .map((item) => [item.id as string, item]));
    expect([...items.keys()].sort()).toEqual([...ids].sort());
    for (const { body } of answers) {
      const item = items.get(body.id)!;
      expect({ id: body.id, status: item.status, warm: item.warm }).toEqual({ id: body.id, status: body.status, warm: body.warm });
    }

    // Each warm dispatch runs on its own pool worker, and each worker was pushed exactly one assignment: that one.
    const warmTasks = warm.map(({ body }) => items.get(body.id)!.taskArn as string);
    expect([...warmTasks].sort()).toEqual([...poolTasks].sort());
    for (const [index, worker] of fleet.workers.entries()) {
      const dispatch = warm.find(({ body }) => items.get(body.id)!.taskArn === poolTasks[index])!.body.id;
      expect(worker.pushes).toEqual([{ dispatchId: dispatch, status: 202 }]);
    }
    const pool = (await documents.send(new ScanCommand({ TableName: platform.tables.pool }))).Items ?? [];
    const busy = pool.filter((item) => item.state === 'BUSY');
    expect(busy.map((item) => item.taskArn).sort()).toEqual([...poolTasks].sort());
    expect(new Set(busy.map((item) => item.dispatchId))).toEqual(new Set(warm.map(({ body }) => body.id)));
    for (const item of busy) {
      expect(items.get(item.dispatchId)!.taskArn).toBe(item.taskArn);
    }

    // Each cold start has a task of its own, which ECS runs; no task runs that no dispatch or pool worker owns.
    const coldTasks = others.filter(({ body }) => body.status === 'STARTING').map(({ body }) => items.get(body.id)!.taskArn as string);
    expect(new Set(coldTasks).size).toBe(coldTasks.length);
    expect(coldTasks.filter((taskArn) => poolTasks.includes(taskArn))).toEqual([]);
    const running = await runningTasks();
    expect(running.sort()).toEqual([...poolTasks, ...coldTasks].sort());
  }, 300_000);

  /** Every task of the cluster that ECS is running or starting. */
  async function runningTasks(): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ecs.send(new ListTasksCommand({ cluster: 'outpost', desiredStatus: 'RUNNING', nextToken }));
      arns.push(...page.taskArns ?? []);
      nextToken = page.nextToken;
    } while (nextToken);
    for (let start = 0; start < arns.length; start += 100) {
      const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: arns.slice(start, start + 100) }));
      expect(tasks.map((task) => task.desiredStatus)).toEqual(Array(tasks.length).fill('RUNNING'));
    }
    return arns;
  }
});
