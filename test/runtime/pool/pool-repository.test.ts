import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { SerializingProxy, startSerializingProxy } from './serializing-proxy';
import { PoolRepository } from '../../../runtime/adapters/pool-repository';
import type { PoolWorker } from '../../../runtime/core/pool/pool-worker';
import { MotoServer, startMoto } from '../../support/moto-server';

const TABLE = 'outpost-pool';

describe('PoolRepository against DynamoDB (moto)', () => {
  let moto: MotoServer;
  let proxy: SerializingProxy;
  let client: DynamoDBClient;
  let documents: DynamoDBDocumentClient;
  let clock: number;
  /** Each reading one second later than the last, so that "oldest first" is deterministic. */
  const now = () => new Date(clock += 1_000);
  let pool: PoolRepository;

  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startSerializingProxy(moto.endpoint);
    client = new DynamoDBClient({ endpoint: proxy.endpoint });
    documents = DynamoDBDocumentClient.from(client);
  });
  afterAll(async () => {
    client.destroy();
    await proxy.close();
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    // As PlatformTables makes it (src/cluster/platform-tables.ts).
    await client.send(new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'taskId', AttributeType: 'S' },
        { AttributeName: 'agentState', AttributeType: 'S' },
        { AttributeName: 'since', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'taskId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{
        IndexName: 'byAgentState',
        KeySchema: [{ AttributeName: 'agentState', KeyType: 'HASH' }, { AttributeName: 'since', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      }],
    }));
    clock = Date.parse('2026-01-01T00:00:00.000Z');
    pool = new PoolRepository(documents, TABLE, 'byAgentState', now);
  });

  async function stored(taskId: string) {
    return (await documents.send(new GetCommand({ TableName: TABLE, Key: { taskId } }))).Item;
  }

  async function idleWorker(taskId: string, agent = 'claude'): Promise<void> {
    await pool.register({ taskId, taskArn: `arn:aws:ecs:us-east-1:123456789012:task/outpost/${taskId}`, agent, tokenCiphertext: `token-${taskId}` });
    await pool.markIdle(taskId, '10.0.1.7');
  }

  test('register stores a STARTING worker, once', async () => {
    const worker = await pool.register({ taskId: 't1', taskArn: 'arn:t1', agent: 'claude', tokenCiphertext: 'secret' });
    const expected: PoolWorker = { taskId: 't1', taskArn: 'arn:t1', agent: 'claude', tokenCiphertext: 'secret', state: 'STARTING', agentState: 'claude#STARTING', since: '2026-01-01T00:00:01.000Z' };
    expect(worker).toEqual(expected);
    expect(await stored('t1')).toEqual(expected);
    await expect(pool.register({ taskId: 't1', taskArn: 'arn:t1', agent: 'claude', tokenCiphertext: 'other' })).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  test('markIdle moves a STARTING worker to IDLE with its address; not twice, and not an unknown one', async () => {
    await pool.register({ taskId: 't1', taskArn: 'arn:t1', agent: 'claude', tokenCiphertext: 'secret' });
    expect(await pool.markIdle('t1', '10.0.1.7')).toMatchObject({ state: 'IDLE', agentState: 'claude#IDLE', privateIp: '10.0.1.7', since: '2026-01-01T00:00:02.000Z' });
    expect(await pool.markIdle('t1', '10.0.1.8')).toBeNull();
    expect((await stored('t1'))?.privateIp).toBe('10.0.1.7');
    expect(await pool.markIdle('unknown', '10.0.1.9')).toBeNull();
    expect(await stored('unknown')).toBeUndefined();
  });

  test('claimIdle reserves the agent\'s longest-idle worker for the dispatch, then the next, then none', async () => {
    await idleWorker('oldest');
    await idleWorker('other-agent', 'codex');
    await idleWorker('newest');
    await pool.register({ taskId: 'starting', taskArn: 'arn:starting', agent: 'claude', tokenCiphertext: 'x' });

    const first = await pool.claimIdle('claude', 'dispatch-1');
    expect(first).toMatchObject({ taskId: 'oldest', state: 'RESERVED', agentState: 'claude#RESERVED', dispatchId: 'dispatch-1', tokenCiphertext: 'token-oldest', privateIp: '10.0.1.7' });
    expect(await stored('oldest')).toEqual(first);
    expect((await pool.claimIdle('claude', 'dispatch-2'))?.taskId).toBe('newest');
    expect(await pool.claimIdle('claude', 'dispatch-3')).toBeNull();
    expect((await stored('other-agent'))?.state).toBe('IDLE');
  });

  test('release returns a reserved worker to the pool, only for the dispatch that holds it', async () => {
    await idleWorker('t1');
    await pool.claimIdle('claude', 'dispatch-1');
    expect(await pool.release('t1', 'dispatch-other')).toBeNull();
    expect((await stored('t1'))?.state).toBe('RESERVED');

    const released = await pool.release('t1', 'dispatch-1');
    expect(released).toMatchObject({ state: 'IDLE', agentState: 'claude#IDLE' });
    expect(released).not.toHaveProperty('dispatchId');
    expect(await pool.release('t1', 'dispatch-1')).toBeNull();
    expect((await pool.claimIdle('claude', 'dispatch-2'))?.dispatchId).toBe('dispatch-2');
  });

  test('markBusy needs the worker reserved for that dispatch', async () => {
    await idleWorker('t1');
    expect(await pool.markBusy('t1', 'dispatch-1')).toBeNull();
    await pool.claimIdle('claude', 'dispatch-1');
    expect(await pool.markBusy('t1', 'dispatch-2')).toBeNull();
    expect(await pool.markBusy('t1', 'dispatch-1')).toMatchObject({ state: 'BUSY', agentState: 'claude#BUSY', dispatchId: 'dispatch-1' });
    expect(await pool.release('t1', 'dispatch-1')).toBeNull();
  });

  test('remove forgets a worker, idempotently', async () => {
    await idleWorker('t1');
    await pool.remove('t1');
    await pool.remove('t1');
    expect(await stored('t1')).toBeUndefined();
    expect(await pool.claimIdle('claude', 'dispatch-1')).toBeNull();
  });

  test('countByState counts the agent\'s workers in every state', async () => {
    for (const taskId of ['a', 'b', 'c', 'd']) {
      await idleWorker(taskId);
    }
    await idleWorker('codex-1', 'codex');
    await pool.register({ taskId: 'e', taskArn: 'arn:e', agent: 'claude', tokenCiphertext: 'x' });
    await pool.claimIdle('claude', 'dispatch-1');
    await pool.claimIdle('claude', 'dispatch-2');
    await pool.markBusy('a', 'dispatch-1');
    expect(await pool.countByState('claude')).toEqual({ STARTING: 1, IDLE: 2, RESERVED: 1, BUSY: 1, DRAINING: 0 });
  });

  // 200 claims contending for 20 workers through moto's conditional writes: about 40 s on the 2-core CI machine, past jest's 60 s when it is
  // busy. This is a test of who wins, not of speed.
  const CONCURRENT_CLAIMS_TIMEOUT_MS = 240_000;
  test('200 concurrent claims on 20 idle workers: 20 win, each worker once, each dispatch at most once', async () => {
    const workerIds = Array.from({ length: 20 }, (_, index) => `task-${String(index).padStart(2, '0')}`);
    for (const taskId of workerIds) {
      await idleWorker(taskId);
    }
    const dispatchIds = Array.from({ length: 200 }, (_, index) => `dispatch-${index}`);

    const claims = await Promise.all(dispatchIds.map((dispatchId) => pool.claimIdle('claude', dispatchId)));

    const won = claims.flatMap((claim, index) => (claim ? [{ claim, dispatchId: dispatchIds[index] }] : []));
    expect(won).toHaveLength(20);
    expect(claims.filter((claim) => claim === null)).toHaveLength(180);
    expect(new Set(won.map(({ claim }) => claim.taskId))).toEqual(new Set(workerIds));
    for (const { claim, dispatchId } of won) {
      expect(claim.dispatchId).toBe(dispatchId);
    }
    // The table agrees with what the winners were told: no claim was overwritten by a later one.
    const { Items } = await documents.send(new ScanCommand({ TableName: TABLE }));
    expect(Items).toHaveLength(20);
    const assigned = new Map(Items!.map((item) => [item.taskId as string, item]));
    for (const { claim } of won) {
      expect(assigned.get(claim.taskId)).toMatchObject({ state: 'RESERVED', dispatchId: claim.dispatchId });
    }
    expect(new Set(Items!.map((item) => item.dispatchId)).size).toBe(20);
  }, CONCURRENT_CLAIMS_TIMEOUT_MS);
});
