import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startFakeWorkers, type FakeWorkerFleet } from '../support/fake-workers';
import { sealedWorker, type SealedWorker } from '../support/moto-kms';
import { MotoServer, startMoto } from '../support/moto-server';
import { newDispatchId } from './support/ids';
import { fakeAgent, freePort, WorkerProcess } from './support/worker-process';

/** The worker as it ships in the agents' images (`npx projen bundle:runtime`). */
const WORKER_SCRIPT = path.join(__dirname, '..', '..', 'assets', 'worker', 'worker.js');
/** The headers the control plane or an operator could read an answer by. */
const HEADERS = ['content-type', 'cache-control', 'allow', 'www-authenticate'];

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | null>;
  readonly body: unknown;
}

/**
 * The fake fleet stands for pool workers in the control plane's tests; here it is held to the real bundled
 * worker, request for request: the same sequence to both, the same answers back.
 */
describe('the fake worker fleet answers as the real worker', () => {
  let root: string;
  let real: WorkerProcess;
  let fleet: FakeWorkerFleet;
  let assignment: Record<string, unknown>;
  let moto: MotoServer;
  /** The real worker decrypts its token from moto's KMS at start, as a task does. */
  let sealed: SealedWorker;

  beforeAll(async () => {
    if (!fs.existsSync(WORKER_SCRIPT)) {
      throw new Error(`${WORKER_SCRIPT} is missing: run \`npx projen bundle:runtime\` first`);
    }
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-fleet-'));
    moto = await startMoto();
    sealed = await sealedWorker();
    const dispatchId = newDispatchId();
    // Nothing listens there: the run is killed long before it would upload.
    const upload = `http://127.0.0.1:${await freePort()}/`;
    assignment = {
      dispatchId,
      agent: 'claude',
      model: 'claude-sonnet-4-5',
      prompt: 'Add a changelog entry',
      workspace: { kind: 'ephemeral' },
      timeoutSeconds: 600,
      upload: { url: upload, fields: { key: `artifacts/${dispatchId}/\${filename}` }, keyPrefix: `artifacts/${dispatchId}/` },
    };
    fs.mkdirSync(path.join(root, 'home'));
    real = await WorkerProcess.start(WORKER_SCRIPT, {
      HOME: path.join(root, 'home'),
      OUTPOST_AGENT: 'claude',
      ...sealed.env,
      OUTPOST_WORKSPACE_ROOT: path.join(root, 'workspace'),
      OUTPOST_AGENT_COMMAND: fakeAgent('claude'),
      // The accepted run stays busy while the second assignment is refused.
      FAKE_AGENT_SLEEP_SECONDS: '120',
      ANTHROPIC_API_KEY: 'sk-ant-api03-fake-provider-key-000111',
      AWS_REGION: 'us-east-1',
    });
    fleet = await startFakeWorkers(1, 'claude');
    fleet.workers[0].token = sealed.token;
  });
  afterAll(async () => {
    real?.kill();
    await fleet?.close();
    await moto?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the same answers, in the same order: health, 401, 400 for bad JSON or a refused assignment, 404, 405, 202, busy, 409', async () => {
    const authorized = { 'authorization': `Bearer ${sealed.token}`, 'content-type': 'application/json' };
    const sequence: Array<[string, RequestInit]> = [
      ['/healthz', {}],
      ['/assignment', { method: 'POST', headers: { ...authorized, authorization: 'Bearer not-the-token' }, body: JSON.stringify(assignment) }],
      ['/assignment', { method: 'POST', headers: authorized, body: '{"dispatchId":' }],
      ['/assignment', { method: 'POST', headers: authorized, body: JSON.stringify({ ...assignment, agent: 'codex' }) }],
      ['/assignments', { method: 'POST', headers: authorized, body: JSON.stringify(assignment) }],
      ['/assignment', { method: 'GET', headers: authorized }],
      ['/healthz', { method: 'POST' }],
      ['/assignment', { method: 'POST', headers: authorized, body: JSON.stringify(assignment) }],
      ['/healthz', {}],
      ['/assignment', { method: 'POST', headers: authorized, body: JSON.stringify(assignment) }],
    ];
    const realAnswers = await askInTurn(`http://127.0.0.1:${real.port}`, sequence);
    const fleetAnswers = await askInTurn(`http://${fleet.workers[0].privateIp}:${fleet.port}`, sequence);

    // What the real worker answers, so that the comparison below is with the behaviour the task names.
    expect(realAnswers.map(({ status, body }: any) => [status, body.error?.code ?? body.state ?? body.accepted])).toEqual([
      [200, 'idle'],
      [401, 'unauthorized'],
      [400, 'invalid_json'],
      [400, 'invalid_assignment'],
      [404, 'not_found'],
      [405, 'method_not_allowed'],
      [405, 'method_not_allowed'],
      [202, true],
      [200, 'busy'],
      [409, 'already_assigned'],
    ]);
    expect(fleetAnswers).toEqual(realAnswers);

    // Every push is recorded, with what it answered; the health checks are not pushes.
    const { dispatchId } = assignment;
    expect(fleet.workers[0].pushes).toEqual([
      { dispatchId, status: 401 },
      { dispatchId: undefined, status: 400 },
      { dispatchId, status: 400 },
      { dispatchId, status: 404 },
      { dispatchId: undefined, status: 405 },
      { dispatchId, status: 202 },
      { dispatchId, status: 409 },
    ]);
  });
});

/** Each request once the previous one was answered: the worker's answers depend on what it accepted before. */
async function askInTurn(base: string, sequence: Array<[string, RequestInit]>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const [route, init] of sequence) {
    const response = await fetch(`${base}${route}`, init);
    answers.push({
      status: response.status,
      headers: Object.fromEntries(HEADERS.map((name) => [name, response.headers.get(name)])),
      body: await response.json(),
    });
  }
  return answers;
}
