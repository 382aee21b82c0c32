import { PutItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FINAL, poolItems as poolItemsOf, startLocalE2e, until as untilOf, type LocalE2e } from './support/local-e2e';
import type { DispatchView, OutpostClient } from '../../runtime/client';
import type { OutpostLocal } from '../../runtime/local/outpost-local';

/**
 * Outpost Local end to end, as the README's main job runs it: the example app (examples/typescript/local)
 * synthesized by `cdk synth`, every lifecycle driven through the template's own wiring, with the real bundled
 * handlers, the real worker and the real Claude Code CLI (its stand-in model), Fargate played by the sandbox.
 * Needs root for the sandbox (CI runs as root) and the bundled handlers and worker (`npx projen bundle:runtime`).
 * The other lifecycles (timeout, a killed worker, the sweeper, a persistent workspace): lifecycles.e2e.test.ts.
 */
let e2e: LocalE2e;
let local: OutpostLocal;
let client: OutpostClient;

beforeAll(async () => {
  e2e = await startLocalE2e();
  ({ local, client } = e2e);
}, 600_000);

afterAll(async () => {
  await local?.stop();
}, 300_000);

function until(id: string, done: (view: DispatchView) => boolean, seconds = 180): Promise<DispatchView> {
  return untilOf(e2e, id, done, seconds);
}

function poolItems(): Promise<Array<Record<string, any>>> {
  return poolItemsOf(local);
}

describe('Outpost Local, wired from the synthesized template', () => {
  test('serves every route, rule, schedule and stream mapping the template has', () => {
    expect(local.platform.counts).toEqual({ functions: 21, routes: 20, rules: 5, schedules: 2, streamMappings: 4 });
  });

  test('a cold start: the agent\'s commit on outpost/<id> of the local git server, its logs through the API, and its cost from the ledger', async () => {
    const url = local.createRepository('e2e/cold', { 'README.md': '# cold\n' });
    const dispatched = await client.dispatch({ agent: 'claude', prompt: 'Add OUTPOST_LOCAL.md', repository: { url } });
    const done = await until(dispatched.id, (view) => FINAL.includes(view.status) && view.cost?.estimatedUsd !== undefined);
    expect(done).toMatchObject({ status: 'COMPLETED', warm: false, exitCode: 0 });
    expect(done.cost!.estimatedUsd).toBeGreaterThan(0);
    const commit = await local.git.commit('e2e/cold', `outpost/${dispatched.id}`);
    expect(commit?.files['OUTPOST_LOCAL.md']).toBe('# Written by an agent on Outpost Local\n');
    const logs = await client.getLogs(dispatched.id, { limit: 1000 });
    expect(logs.lines.map((line) => line.message).join('\n')).toContain('dispatch succeeded');
  }, 300_000);

  test('a warm claim: once the scaler holds an idle worker, the next dispatch starts on it', async () => {
    const deadline = Date.now() + 120_000;
    while (!(await poolItems()).some((item) => item.state === 'IDLE' && item.agent === 'claude')) {
      if (Date.now() > deadline) {
        throw new Error(`no idle claude worker after 120 s: ${JSON.stringify(await poolItems())}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const url = local.createRepository('e2e/warm');
    const dispatched = await client.dispatch({ agent: 'claude', prompt: 'Add OUTPOST_LOCAL.md', repository: { url } });
    const done = await until(dispatched.id, (view) => FINAL.includes(view.status));
    expect(done).toMatchObject({ status: 'COMPLETED', warm: true });
    expect(await local.git.commit('e2e/warm', `outpost/${dispatched.id}`)).toBeDefined();
  }, 300_000);

  test('cancel: DELETE /dispatch/{id} ends the run CANCELLED', async () => {
    const url = local.createRepository('e2e/cancel');
    const dispatched = await client.dispatch({ agent: 'claude', prompt: 'Add OUTPOST_LOCAL.md', repository: { url } });
    await client.cancel(dispatched.id);
    expect((await until(dispatched.id, (view) => FINAL.includes(view.status))).status).toBe('CANCELLED');
  }, 300_000);

  test('the sweeper\'s and the scaler\'s schedules run through their rules\' targets', async () => {
    const [sweep, scale] = local.platform.deployed.wiring.schedules.map((schedule) => schedule.logicalId).sort();
    await local.platform.runSchedule(sweep);
    await local.platform.runSchedule(scale);
    expect(e2e.lines.filter((line) => /event discarded/.test(line))).toEqual([]);
  }, 120_000);

  test('each function runs with only its role\'s permissions: the API\'s read function may not write the pool', async () => {
    const read = [...local.platform.hosts.values()].find((host) => host.fn.logicalId.startsWith('OutpostLifecycleDispatchReadFunction'))!.fn.environment;
    const dynamodb = new DynamoDBClient({
      endpoint: read.AWS_ENDPOINT_URL,
      region: read.AWS_REGION,
      credentials: { accessKeyId: read.AWS_ACCESS_KEY_ID, secretAccessKey: read.AWS_SECRET_ACCESS_KEY, sessionToken: read.AWS_SESSION_TOKEN },
    });
    const config = JSON.parse(read.OUTPOST_CONFIG);
    await expect(dynamodb.send(new PutItemCommand({ TableName: config.tables.pool, Item: { taskId: { S: 'x' } } })))
      .rejects.toThrow(/is not authorized to perform: dynamodb:PutItem/);
  });

  test('everything above ran without one request the IAM gate refused', () => {
    // The read function's PutItem of the test above is the only refusal.
    expect(local.denials.map((denial) => denial.action)).toEqual(['dynamodb:PutItem']);
  });
});
