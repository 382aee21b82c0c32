import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { finished } from './support';
import type { Dispatch } from '../../../runtime/core/dispatch/dispatch';
import type { ModelCost } from '../../../runtime/core/ledger/event';
import { LIST_PRICE_TABLE } from '../../../runtime/core/ledger/pricing';
import { apiRequest as request, callApi as call, type ApiHandler as Handler } from '../../support/api-event';
import { MotoPlatform, startMotoPlatform } from '../../support/moto-platform';
import { ALICE, BOB } from '../dispatch/support/dispatches';

const LEDGER_TABLE = 'outpost-ledger';

/** The EventBridge event the final-state rule delivers for `dispatch`. */
function finalState(dispatch: Dispatch): unknown {
  return {
    'source': 'outpost.dispatch',
    'detail-type': 'Dispatch State Change',
    'detail': { dispatchId: dispatch.id, agent: dispatch.agent, requester: dispatch.requester, from: 'RUNNING', to: dispatch.status, at: dispatch.finishedAt },
  };
}

describe('the ledger handlers, invoked as Lambda would invoke them (moto)', () => {
  let platform: MotoPlatform;
  let documents: DynamoDBDocumentClient;
  let ledger: Handler;
  let read: Handler;
  let stdout: jest.SpyInstance;

  const store = async (dispatch: Dispatch) => documents.send(new PutCommand({ TableName: platform.tables.dispatches, Item: dispatch }));
  const stored = async (id: string) =>
    (await documents.send(new GetCommand({ TableName: platform.tables.dispatches, Key: { id } }))).Item as Dispatch;
  const costEvents = async () => (await platform.publishedEvents()).filter((event) => event.source === 'outpost.ledger');
  const metricLines = () => stdout.mock.calls.map(([line]) => String(line))
    .filter((line) => line.includes('"DispatchCostUsd"')).map((line) => JSON.parse(line));

  beforeAll(async () => {
    platform = await startMotoPlatform();
    documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    await new DynamoDBClient({}).send(new CreateTableCommand({
      TableName: LEDGER_TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    }));
    process.env.OUTPOST_LEDGER = JSON.stringify({ table: LEDGER_TABLE, agents: { claude: { cpu: 1024, memoryMiB: 4096, ephemeralStorageGiB: 40 } } });
    stdout = jest.spyOn(process.stdout, 'write');
    ledger = platform.handler('ledger');
    read = platform.handler('ledger-read');
  });
  afterAll(async () => {
    stdout.mockRestore();
    delete process.env.OUTPOST_LEDGER;
    await platform.stop();
  });

  test('prices a finished dispatch once, however often the event comes: totals, cost on the item, event, metric', async () => {
    const dispatch = finished({ finishedAt: '2026-01-02T04:04:00.000Z' });
    await store(dispatch);
    await ledger(finalState(dispatch));
    await ledger(finalState(dispatch));

    const item = await stored(dispatch.id);
    expect(item.cost).toEqual({
      estimatedUsd: 3.87384,
      computeUsd: 0.04662,
      storageUsd: 0.00222,
      llmUsd: 3.825,
      priceVersion: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      models: [{ model: 'claude-sonnet-4-5', usd: 3.825 }],
    });
    const published = (await costEvents()).filter((event) => event.detail.dispatchId === dispatch.id);
    expect(published.length).toBeGreaterThanOrEqual(1);
    expect(published[0]).toMatchObject({ 'detail-type': 'DispatchCost', 'detail': { totalUsd: 3.87384, region: 'us-east-1', compute: { basis: 'task' } } });
    expect(metricLines().filter((line) => line.agent === 'claude')).toEqual([expect.objectContaining({
      _aws: expect.objectContaining({ CloudWatchMetrics: [{ Namespace: 'Outpost', Dimensions: [['agent']], Metrics: [{ Name: 'DispatchCostUsd', Unit: 'None' }] }] }),
      DispatchCostUsd: 3.87384,
    })]);

    const totals = await call(read, request('GET /ledger', ALICE, { query: { from: '2026-01-01', to: '2026-01-31' } }));
    expect(totals).toMatchObject({
      statusCode: 200,
      body: { from: '2026-01-01', to: '2026-01-31', groupBy: 'day', currency: 'USD', groups: [{ key: '2026-01-02', dispatches: 1, usd: 3.87384, computeUsd: 0.04662, storageUsd: 0.00222, llmUsd: 3.825 }], totalUsd: 3.87384 },
    });
  });

  test('a caller sees only their own totals; an admin everyone\'s, by requester', async () => {
    const bobs = finished({ requester: BOB, finishedAt: '2026-01-03T10:00:00.000Z', result: undefined });
    await store(bobs);
    await ledger(finalState(bobs));
    const mine = await call(read, request('GET /ledger', BOB, { query: { from: '2026-01-01', to: '2026-01-31', groupBy: 'agent' } }));
    expect(mine.body.groups).toEqual([{ key: 'claude', dispatches: 1, usd: 0.04884, computeUsd: 0.04662, storageUsd: 0.00222, llmUsd: 0 }]);
    const everyone = await call(read, request('GET /admin/ledger', BOB, { query: { from: '2026-01-01', to: '2026-01-31', groupBy: 'requester' } }));
    expect(everyone.body.groups.map((group: { key: string }) => group.key).sort()).toEqual([ALICE, BOB].sort());
    expect(everyone.body.totalUsd).toBe(3.92268);
  });

  test.each([
    [{ from: '2026-01-01' }, 'to'],
    [{ from: '2026-13-01', to: '2026-01-31' }, 'from'],
    [{ from: '2025-01-01', to: '2026-06-01' }, 'to'],
    [{ from: '2026-01-01', to: '2026-01-31', groupBy: 'model' }, 'groupBy'],
  ])('GET /ledger %j: 400 naming %s', async (query, field) => {
    expect(await call(read, request('GET /ledger', ALICE, { query }))).toMatchObject({ statusCode: 400, body: { error: { code: expect.any(String), field } } });
  });

  test('a dispatch whose task has not reported its stop is retried, not priced from a guess', async () => {
    const recent = finished({ task: undefined, finishedAt: new Date().toISOString() });
    await store(recent);
    await expect(ledger(finalState(recent))).rejects.toThrow(/has not reported its stop yet/);
    expect((await stored(recent.id)).cost).toBeUndefined();
  });

  test('an event that fails its schema is neither counted nor published', async () => {
    // A negative token count makes negative figures: a bug upstream, which the schema stops here.
    const broken = finished({ result: { commit: null, branch: null, tokenUsage: { input: 0, cached: 0, output: -1_000_000 }, durationSeconds: 1 } });
    await store(broken);
    await expect(ledger(finalState(broken))).rejects.toThrow(/does not match its schema/);
    expect((await stored(broken.id)).cost).toBeUndefined();
    expect((await costEvents()).filter((event) => event.detail.dispatchId === broken.id)).toEqual([]);
    const mine = await call(read, request('GET /ledger', ALICE, { query: { from: '2026-01-01', to: '2026-01-31' } }));
    expect(mine.body.groups[0].dispatches).toBe(1);
  });

  test('a persistent workspace is charged the size its worker measured, in the event, on the item and in the totals', async () => {
    const workspaceSize = { bytes: 73 * 2 ** 30, complete: true };
    const dispatch = finished({
      workspace: { kind: 'persistent', name: 'api' },
      finishedAt: '2026-02-02T04:04:00.000Z',
      result: { ...finished().result!, workspaceSize },
    });
    await store(dispatch);
    await ledger(finalState(dispatch));

    const [published] = (await costEvents()).filter((event) => event.detail.dispatchId === dispatch.id);
    expect(published.detail.storage).toEqual({
      ephemeral: { quantity: 20, unit: 'GB-hour', unitPriceUsd: 0.000111, usd: 0.00222 },
      workspace: { quantity: 0.1, unit: 'GB-month', unitPriceUsd: 0.3, usd: 0.03 },
      workspaceSize,
    });
    expect((await stored(dispatch.id)).cost).toMatchObject({ estimatedUsd: 3.90384, storageUsd: 0.03222 });
    const totals = await call(read, request('GET /ledger', ALICE, { query: { from: '2026-02-01', to: '2026-02-28' } }));
    expect(totals.body.groups).toEqual([{ key: '2026-02-02', dispatches: 1, usd: 3.90384, computeUsd: 0.04662, storageUsd: 0.03222, llmUsd: 3.825 }]);
  });

  test('each model that ran is priced at its own list price, in the event and on the item', async () => {
    // Claude Code asked for Opus reports the models it used: the main model, and Haiku for its background requests.
    const modelUsage = [
      { model: 'claude-sonnet-4-5-20250929', input: 800_000, cached: 200_000, cacheWrite: 50_000, output: 90_000 },
      { model: 'claude-haiku-4-5-20251001', input: 100_000, cached: 0, cacheWrite: 0, output: 5_000 },
    ];
    const dispatch = finished({
      model: 'claude-opus-4-1',
      finishedAt: '2026-03-02T04:04:00.000Z',
      result: { ...finished().result!, tokenUsage: { input: 900_000, cached: 200_000, cacheWrite: 50_000, output: 95_000 }, modelUsage },
    });
    await store(dispatch);
    await ledger(finalState(dispatch));

    const [published] = (await costEvents()).filter((event) => event.detail.dispatchId === dispatch.id);
    const { llm, llmUsd } = published.detail;
    expect(llm).toMatchObject({ model: 'claude-opus-4-1', perModelUsage: true });
    const models = llm.models as ModelCost[];
    expect(models.map((model) => [model.model, model.pricedModel, model.pricedAs])).toEqual([
      ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', 'model'],
      ['claude-haiku-4-5-20251001', 'claude-haiku-4-5', 'model'],
    ]);
    for (const model of models) {
      const list = LIST_PRICE_TABLE.models[model.pricedModel];
      const unitPrices = [model.input.unitPriceUsd, model.cachedInput.unitPriceUsd, model.output.unitPriceUsd];
      expect(unitPrices).toEqual([list.input, list.cachedInput, list.output]);
      expect(model.cacheWrite.unitPriceUsd).toBe(list.cacheWrite ?? list.input);
    }
    // Sonnet's uncached input: every prompt token less cache reads and writes.
    expect(models[0].input.quantity).toBe(0.55);
    expect(llmUsd).toBeCloseTo(models[0].usd + models[1].usd, 9);
    expect((await stored(dispatch.id)).cost).toMatchObject({ llmUsd, models: models.map(({ model, usd }) => ({ model, usd })) });
  });

  test('a state that is not final is not priced', async () => {
    const running = finished({ status: 'RUNNING' });
    await store(running);
    await ledger(finalState(running));
    expect((await stored(running.id)).cost).toBeUndefined();
  });
});
