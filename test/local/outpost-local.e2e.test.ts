import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PutItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { OutpostClient } from '../../runtime/client';
import type { DispatchView } from '../../runtime/client';
import { OutpostLocal } from '../../runtime/local/outpost-local';

/**
 * Outpost Local end to end, as the README's main job runs it: the example app (examples/typescript/local)
 * synthesized by `cdk synth`, every lifecycle driven through the template's own wiring, with the real bundled
 * handlers, the real worker and the real Claude Code CLI (its stand-in model), Fargate played by the sandbox.
 * Needs root for the sandbox (CI runs as root) and the bundled handlers and worker (`npx projen bundle:runtime`).
 */
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'typescript', 'local');
const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];

let local: OutpostLocal;
let client: OutpostClient;
const lines: string[] = [];

beforeAll(async () => {
  const assembly = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-local-assembly-'));
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', assembly], { cwd: EXAMPLE, stdio: 'pipe' });
  local = await OutpostLocal.start({ assembly, stackName: 'OutpostLocal', log: (line) => lines.push(line), runSchedules: false });
  const env = local.userEnvironment();
  client = new OutpostClient({
    endpoint: env.OUTPOST_ENDPOINT,
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN },
  });
}, 600_000);

afterAll(async () => {
  await local?.stop();
}, 120_000);

async function until(id: string, done: (view: DispatchView) => boolean, seconds = 180): Promise<DispatchView> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const view = await client.getDispatch(id);
    if (done(view)) {
      return view;
    }
    if (Date.now() > deadline) {
      throw new Error(`dispatch ${id} is still ${view.status} after ${seconds} s:\n${lines.slice(-40).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function poolItems(): Promise<Array<Record<string, any>>> {
  const configured = [...local.platform.hosts.values()].find((host) => host.fn.environment.OUTPOST_CONFIG)!;
  const config = JSON.parse(configured.fn.environment.OUTPOST_CONFIG);
  return local.platform.deployed.clients.dynamodb.send(new ScanCommand({ TableName: config.tables.pool }))
    .then((answer) => (answer.Items ?? []).map((item) => unmarshall(item)));
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
    expect(lines.filter((line) => /event discarded/.test(line))).toEqual([]);
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
