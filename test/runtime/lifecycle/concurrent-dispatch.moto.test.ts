import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { PoolRepository } from '../../../runtime/adapters/pool-repository';
import { WorkerLauncher } from '../../../runtime/adapters/worker-launcher';
import { apiRequest, callApi, type ApiAnswer } from '../../support/api-event';
import { runningTaskEvent } from '../../support/ecs-events';
import { startFakeWorkers, type FakeWorkerFleet } from '../../support/fake-workers';
import { motoWorkerTokenCipher } from '../../support/moto-kms';
import { MotoPlatform, startMotoPlatform } from '../../support/moto-platform';
import { ALICE, BOB } from '../dispatch/support/dispatches';
import { SerializingProxy, startSerializingProxy } from '../pool/serializing-proxy';

const WORKERS = 20;
const DISPATCHES = 200;
const CAROL = 'arn:aws:iam::123456789012:user/carol';
/**
 * Deliveries of the stream to the starter before the test gives up on it starting every queued dispatch: room
 * for one batch of the starter's event source (10 records) a delivery, and as many again for records retried.
 */
const MAX_DELIVERIES = 2 * Math.ceil((DISPATCHES - WORKERS) / 10);
/** Deliveries in a row that bring the starter nothing, while dispatches still wait, after which it never will. */
const MAX_EMPTY_DELIVERIES = 3;

/**
 * 200 `POST /dispatch` at once, through the real handler, against 20 idle workers of the one agent: moto
 * behind a proxy that hands it one request at a time (moto checks a condition and writes in separate
 * steps; DynamoDB does both atomically), and workers that answer the hand-off as the real worker does. The
 * dispatches no idle worker took are then brought to the real starter as the table's stream would bring them.
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
    }, motoWorkerTokenCipher(config.workerTokenKey));
    const { launched } = await launcher.launchMany('claude', WORKERS);
    expect(launched).toHaveLength(WORKERS);
    const pool = new PoolRepository(documents, tables.pool, config.tables.indexes.byAgentState);
    const taskReady = platform.handler('task-ready');
    for (const [index, task] of launched.entries()) {
      const worker = fleet.workers[index];
      await pool.register({ taskId: task.taskId, taskArn: task.taskArn, agent: 'claude', tokenCiphertext: task.tokenCiphertext });
      worker.token = await platform.workerToken(task.taskId);
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

  test('exactly 20 warm hand-offs, each worker once; the other 180 queued for the starter, which starts a task of its own for each; none lost or failed', async () => {
    const create = platform.handler('dispatch-create');
    const callers = [ALICE, BOB, CAROL];
    const answers: ApiAnswer[] = await Promise.all(Array.from({ length: DISPATCHES }, (_, index) => callApi(create, apiRequest('POST /dispatch', callers[index % 3], {
      body: { agent: 'claude', prompt: `dispatch ${index}: fix the flaky test`, timeoutSeconds: 600 },
    }))));

    // Every request answered 202 with a dispatch of its own: 20 running warm, the other 180 queued.
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(DISPATCHES).fill(202));
    const ids = answers.map((answer) => answer.body.id as string);
    expect(new Set(ids).size).toBe(DISPATCHES);
    const warm = answers.filter((answer) => answer.body.warm === true).map(({ body }) => body.id as string);
    const cold = answers.filter((answer) => answer.body.warm !== true).map(({ body }) => body.id as string);
    expect(warm).toHaveLength(WORKERS);
    for (const { body } of answers) {
      expect(body).toMatchObject(warm.includes(body.id) ? { status: 'RUNNING', model: 'claude-sonnet-4-5' } : { status: 'QUEUED', model: 'claude-sonnet-4-5' });
    }

    // None lost: one item per dispatch, in the state its answer gave; each queued one handed to the starter.
    let items = await dispatchItems();
    expect([...items.keys()].sort()).toEqual([...ids].sort());
    for (const { body } of answers) {
      const item = items.get(body.id)!;
      expect({ id: body.id, status: item.status, warm: item.warm }).toEqual({ id: body.id, status: body.status, warm: body.warm });
    }
    expect(cold.filter((id) => typeof items.get(id)!.coldStartRequestedAt !== 'string')).toEqual([]);

    // Each warm dispatch runs on its own pool worker, and each worker was pushed exactly one assignment: that one.
    const warmTasks = warm.map((id) => items.get(id)!.taskArn as string);
    expect([...warmTasks].sort()).toEqual([...poolTasks].sort());
    for (const [index, worker] of fleet.workers.entries()) {
      const dispatch = warm.find((id) => items.get(id)!.taskArn === poolTasks[index]);
      expect(worker.pushes).toEqual([{ dispatchId: dispatch, status: 202 }]);
    }

    // The stream brings the starter the queued dispatches, in as many deliveries as it takes; a record the
    // starter fails is brought again. Bounded, so that a starter that never finishes fails here.
    let deliveries = 0;
    let emptyInARow = 0;
    while (queuedForStarter(items).length > 0 && deliveries < MAX_DELIVERIES && emptyInARow < MAX_EMPTY_DELIVERIES) {
      deliveries++;
      emptyInARow = (await platform.deliverColdStarts()) === 0 ? emptyInARow + 1 : 0;
      items = await dispatchItems();
    }
    expect({ deliveries, waiting: queuedForStarter(items) }).toEqual({ deliveries, waiting: [] });

    // The starter started a task of its own for each: none a pool worker's, none FAILED, none left behind.
    expect(cold.map((id) => [id, items.get(id)!.status, items.get(id)!.warm]).filter(([, status, isWarm]) => status !== 'STARTING' || isWarm !== false))
      .toEqual([]);
    const coldTasks = cold.map((id) => items.get(id)!.taskArn as string);
    expect(coldTasks.filter((taskArn) => typeof taskArn !== 'string')).toEqual([]);
    expect(new Set(coldTasks).size).toBe(cold.length);
    expect(coldTasks.filter((taskArn) => poolTasks.includes(taskArn))).toEqual([]);
    // The warm dispatches are untouched by the cold starts.
    expect(warm.filter((id) => items.get(id)!.status !== 'RUNNING')).toEqual([]);

    // The pool: each warm worker BUSY with its one dispatch; each new task a worker RESERVED for its dispatch.
    // No worker serves two dispatches, and no dispatch has two workers.
    const pool = (await documents.send(new ScanCommand({ TableName: platform.tables.pool }))).Items ?? [];
    expect(pool).toHaveLength(DISPATCHES);
    expect(new Set(pool.map((item) => item.dispatchId)).size).toBe(DISPATCHES);
    for (const item of pool) {
      const dispatch = items.get(item.dispatchId)!;
      expect({ taskArn: item.taskArn, state: item.state }).toEqual({ taskArn: dispatch.taskArn, state: warm.includes(dispatch.id) ? 'BUSY' : 'RESERVED' });
    }

    // ECS runs exactly those tasks: no task runs that no dispatch or pool worker owns.
    const running = await runningTasks();
    expect(running.sort()).toEqual([...poolTasks, ...coldTasks].sort());
  }, 240_000);

  /** Every dispatch item, by id (the table also holds idempotency items, which have no requester). */
  async function dispatchItems(): Promise<Map<string, Record<string, any>>> {
    const found: Array<Record<string, any>> = [];
    let ExclusiveStartKey: Record<string, any> | undefined;
    do {
      const page = await documents.send(new ScanCommand({ TableName: platform.tables.dispatches, ExclusiveStartKey }));
      found.push(...page.Items ?? []);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return new Map(found.filter((item) => typeof item.requester === 'string').map((item) => [item.id as string, item]));
  }

  /** The dispatches handed to the starter that it has not started yet. */
  function queuedForStarter(items: Map<string, Record<string, any>>): string[] {
    return [...items.values()].filter((item) => item.status === 'QUEUED' && item.coldStartRequestedAt !== undefined).map((item) => item.id as string);
  }

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
