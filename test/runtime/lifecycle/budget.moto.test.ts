import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DispatchRepository } from '../../../runtime/adapters/dispatch-repository';
import type { PlatformConfig } from '../../../runtime/core/config';
import { applyOverrides, LIST_PRICE_TABLE, modelRates } from '../../../runtime/core/ledger/pricing';
import { apiRequest, callApi } from '../../support/api-event';
import { runningTaskEvent, taskEvent } from '../../support/ecs-events';
import { startFakeWorkers, type FakeWorkerFleet } from '../../support/fake-workers';
import { startMotoPlatform, type MotoPlatform } from '../../support/moto-platform';
import { workerDocument, workerResult } from '../artifacts/worker-result';
import { ALICE } from '../dispatch/support/dispatches';

/** The platform's model overrides, as the construct sets them on the functions that build assignments. */
const MODEL_OVERRIDES = [{ model: 'claude-sonnet-4-5', input: 2.7, output: 13.5, cachedInput: 0.27, cacheWrite: 3.375 }];

/**
 * A budget from request to result on moto, through the real handlers: `POST /dispatch` with `maxCostUsd`, the
 * starter, the hand-off to a worker (the real worker's HTTP server and assignment schema), and the completion
 * reading a result.json whose run its budget stopped.
 */
describe('a dispatch with a budget (moto, the real handlers)', () => {
  let platform: MotoPlatform;
  let workers: FakeWorkerFleet;
  let config: PlatformConfig;
  let dispatches: DispatchRepository;

  beforeAll(async () => {
    workers = await startFakeWorkers(2, 'claude');
    platform = await startMotoPlatform({ workerPort: workers.port });
    config = { ...platform.config, budget: { defaultMaxCostUsd: 1, maxCostUsdLimit: 10 } };
    process.env.OUTPOST_MODEL_PRICES = JSON.stringify(MODEL_OVERRIDES);
    dispatches = new DispatchRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.tables.dispatches, config.tables.indexes);
  });
  afterAll(async () => {
    delete process.env.OUTPOST_MODEL_PRICES;
    await platform?.stop();
    await workers?.close();
  });

  /** POST /dispatch, then the starter starts its task and the worker at `index` takes the hand-off. */
  async function dispatchAndHandOff(body: Record<string, unknown>, index: number) {
    const created = await callApi(platform.handler('dispatch-create', config), apiRequest('POST /dispatch', ALICE, { body: { agent: 'claude', prompt: 'fix the flaky test', ...body } }));
    expect(created.statusCode).toBe(202);
    const id = created.body.id as string;
    await platform.deliverColdStarts(config);
    const { taskArn } = (await dispatches.get(id))!;
    const worker = workers.workers[index];
    worker.token = await platform.workerToken(taskArn!.split('/').pop()!);
    await platform.handler('task-ready', config)(runningTaskEvent(`outpost/${id}`, { taskArn, privateIp: worker.privateIp }));
    return { id, created, taskArn: taskArn!, worker };
  }

  test('maxCostUsd reaches the worker\'s assignment with the ledger\'s prices; BudgetExceeded in result.json ends it FAILED with that reason', async () => {
    const { id, created, taskArn, worker } = await dispatchAndHandOff({ maxCostUsd: 2.5, modelTier: 'fast' }, 0);
    expect(created.body.maxCostUsd).toBe(2.5);

    const pricing = applyOverrides(LIST_PRICE_TABLE, { label: 'acme', models: MODEL_OVERRIDES });
    expect(worker.assignment?.dispatchId).toBe(id);
    expect(worker.assignment?.budget).toEqual({
      maxCostUsd: 2.5,
      rates: pricing.models,
      // A served model the table lacks is priced as the asked tier, as the ledger prices it: 0.1 times the reference.
      fallbackRates: modelRates(pricing, 'claude-unlisted-9', 'fast', config.agents.claude.models.flagship).rates,
    });
    expect(worker.assignment?.budget?.fallbackRates.input).toBeCloseTo(0.4, 9);
    expect(worker.assignment?.budget?.rates['claude-sonnet-4-5']).toEqual({ input: 2.7, output: 13.5, cachedInput: 0.27, cacheWrite: 3.375 });

    const result = {
      ...workerResult(id, { cancelled: false, agent: { exitCode: 1, timedOut: false }, platformErrors: [] }, {
        commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', branch: `outpost/${id}`, tokenUsage: { input: 900_000, output: 120_000, cached: 0 },
      }),
      error: 'the run reached its budget of 2.5 USD',
      failureCode: 'BudgetExceeded' as const,
    };
    await new S3Client({ forcePathStyle: true }).send(new PutObjectCommand({
      Bucket: config.artifactsBucket, Key: `artifacts/${id}/result.json`, Body: workerDocument(result),
    }));
    await platform.handler('task-stopped', config)(taskEvent({
      lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', containers: [{ name: 'agent', exitCode: 1 }], startedBy: `outpost/${id}`,
    }, { taskArn }));

    const read = await callApi(platform.handler('dispatch-read', config), apiRequest('GET /dispatch/{id}', ALICE, { id }));
    expect(read.body).toMatchObject({
      id,
      status: 'FAILED',
      statusReason: 'BudgetExceeded',
      error: 'the run reached its budget of 2.5 USD',
      maxCostUsd: 2.5,
      result: { branch: `outpost/${id}` },
    });
  });

  test('a request without a limit gets the platform default; one above the ceiling is refused naming the field', async () => {
    const { created, worker } = await dispatchAndHandOff({}, 1);
    expect(created.body.maxCostUsd).toBe(1);
    expect(worker.assignment?.budget?.maxCostUsd).toBe(1);

    const refused = await callApi(platform.handler('dispatch-create', config), apiRequest('POST /dispatch', ALICE, { body: { agent: 'claude', prompt: 'x', maxCostUsd: 11 } }));
    expect(refused).toMatchObject({ statusCode: 400, body: { error: { code: 'InvalidField', field: 'maxCostUsd', message: expect.stringContaining('at most 10') } } });
  });
});
