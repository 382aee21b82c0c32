import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WorkerClient } from '../../../runtime/adapters/worker-client';
import { AssignmentSchema } from '../../../runtime/contracts/assignment';
import { buildAssignment, type HandoffDispatch } from '../../../runtime/core/handoff/assignment';
import { classifyPush } from '../../../runtime/core/handoff/push-outcome';
import { sealedWorker, type SealedWorker } from '../../support/moto-kms';
import { MotoServer, startMoto } from '../../support/moto-server';
import { newDispatchId } from '../../worker/support/ids';
import { bundleWorker, fakeAgent, WorkerProcess } from '../../worker/support/worker-process';

function dispatch(overrides: Partial<HandoffDispatch> = {}): HandoffDispatch {
  return {
    id: newDispatchId(),
    agent: 'codex',
    model: 'gpt-5-codex',
    prompt: 'fix the failing test in parser.ts',
    workspace: { kind: 'ephemeral' },
    timeoutSeconds: 900,
    ...overrides,
  };
}

function upload(dispatchId: string) {
  return { url: 'http://127.0.0.1:9/bucket', fields: { key: `artifacts/${dispatchId}/\${filename}` }, keyPrefix: `artifacts/${dispatchId}/` };
}

describe('buildAssignment', () => {
  test('is what the worker accepts, with a repository and a credential', () => {
    const d = dispatch({ repository: { url: 'https://github.com/org/repo.git', baseBranch: 'main' }, workspace: { kind: 'persistent', name: 'alice-main' } });
    const assignment = buildAssignment(d, upload(d.id), { token: 'ghs_short_lived' });
    expect(AssignmentSchema.parse(assignment)).toEqual(assignment);
    expect(assignment.repository?.credential).toEqual({ username: 'x-access-token', token: 'ghs_short_lived' });
  });

  test('is what the worker accepts, without a repository', () => {
    const d = dispatch();
    const assignment = buildAssignment(d, upload(d.id));
    expect(AssignmentSchema.parse(assignment)).toEqual(assignment);
    expect(assignment.repository).toBeUndefined();
  });
});

describe('classifyPush', () => {
  test.each([
    [202, '{"accepted":true}', 'accepted'],
    [409, '{"error":{"code":"AlreadyAssigned","message":"already has an assignment"}}', 'other-worker'],
    [401, '{"error":{"code":"Unauthorized","message":"bad token"}}', 'other-worker'],
    [400, '{"error":{"code":"InvalidAssignment","message":"must be a model id","field":"model"}}', 'reject'],
    [413, 'too large', 'reject'],
    [503, 'starting', 'retry'],
    [500, '<html>', 'retry'],
  ])('%d → %s', (status, body, kind) => {
    expect(classifyPush(status, body).kind).toBe(kind);
  });

  test('the reason names the field the worker objected to', () => {
    expect(classifyPush(400, '{"error":{"code":"InvalidAssignment","message":"must be a model id","field":"model"}}'))
      .toEqual({ kind: 'reject', reason: 'worker answered 400: model: must be a model id' });
  });
});

describe('WorkerClient against the real worker', () => {
  let moto: MotoServer;
  /** The worker's token: it decrypts it from moto's KMS at start, as a task does. */
  let sealed: SealedWorker;
  let bundle: string;
  let worker: WorkerProcess;
  let home: string;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-handoff-'));
    moto = await startMoto();
    sealed = await sealedWorker();
    bundle = await bundleWorker(path.join(home, 'worker.js'));
  });
  afterAll(async () => {
    await moto.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });
  beforeEach(async () => {
    worker = await WorkerProcess.start(bundle, {
      OUTPOST_AGENT: 'codex',
      ...sealed.env,
      OUTPOST_AGENT_COMMAND: fakeAgent('codex'),
      OUTPOST_WORKSPACE_ROOT: path.join(home, 'workspace'),
      HOME: home,
    });
  });
  afterEach(() => worker.kill());

  const client = new WorkerClient(2_000);
  const address = () => ({ privateIp: '127.0.0.1', port: worker.port, token: sealed.token });

  test('a valid push is accepted once; the next push is for another worker', async () => {
    const d = dispatch();
    expect(await client.push(address(), buildAssignment(d, upload(d.id)))).toEqual({ kind: 'accepted' });
    const again = dispatch();
    expect((await client.push(address(), buildAssignment(again, upload(again.id)))).kind).toBe('other-worker');
  });

  test('a wrong token sends the dispatch to another worker, and the worker stays idle', async () => {
    const d = dispatch();
    expect((await client.push({ ...address(), token: 'not-the-token' }, buildAssignment(d, upload(d.id)))).kind).toBe('other-worker');
    expect(await worker.health()).toBe('idle');
  });

  test('an assignment the worker rejects fails with the worker\'s reason', async () => {
    const d = dispatch({ agent: 'claude' });
    const outcome = await client.push(address(), buildAssignment(d, upload(d.id)));
    expect(outcome).toMatchObject({ kind: 'reject', reason: expect.stringContaining('agent') });
  });

  test('a worker that does not answer is retried', async () => {
    worker.kill();
    await worker.exited;
    const d = dispatch();
    expect((await client.push(address(), buildAssignment(d, upload(d.id)))).kind).toBe('retry');
  });
});
