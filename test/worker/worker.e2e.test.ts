import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import type { Assignment } from '../../runtime/contracts/assignment';
import { measureWorkspace } from '../../runtime/worker/workspace-size';
import { sealedWorker, type SealedWorker } from '../support/moto-kms';
import { MotoServer, startMoto } from '../support/moto-server';
import { testAgentUid } from './support/agent-uid';
import { branchCommit, createRemote, git } from './support/git-repositories';
import { newDispatchId } from './support/ids';
import { artifactStore, createBucket, getObject } from './support/s3';
import { S3PostStandIn } from './support/s3-post-stand-in';
import { bundleWorker, fakeAgent, WorkerProcess } from './support/worker-process';
import { buildAssignment, type HandoffDispatch } from '../../runtime/core/handoff/assignment';
import { startAnthropicStandIn } from '../../runtime/local/kit/providers/anthropic';
import { httpsFront } from '../../runtime/local/kit/providers/https-front';
import type { ProviderStandIn } from '../../runtime/local/kit/providers/stand-in';
import { PLACEHOLDER_KEY } from '../../runtime/worker/agents/gateway-route';
import { sumUsage } from '../../runtime/worker/agents/usage';

const execFileAsync = promisify(execFile);

const BUCKET = 'outpost-artifacts';
const GIT_TOKEN = 'ghs_fakeGitCredential1234567890abcdef';
const PROVIDER_KEY = 'sk-ant-api03-fake-provider-key-000111';
/** The largest file the control plane's upload policy admits: ArtifactStore's default, which the hand-off keeps. */
const UPLOAD_MAX_BYTES = 1024 ** 3;

/** The token usage each fake's recorded output reports, as the adapters must read it. */
const RECORDED_USAGE = {
  claude: { input: 2048 + 4662 + 8288, output: 194, cached: 8288, cacheWrite: 4662 },
  codex: { input: 10437, output: 217, cached: 6315, cacheWrite: 0 },
  gemini: { input: 6127 + 18047 + 60, output: 87 + 211 + 243 + 533, cached: 12413, cacheWrite: 0 },
  aider: { input: 7451, output: 87, cached: 4127, cacheWrite: 2311 },
  grok: { input: 6217 + 6471, output: 143 + 37, cached: 4096 + 6144, cacheWrite: 0 },
};

describe('worker, end to end (bundled, fake agent CLIs, local git, moto S3)', () => {
  let moto: MotoServer;
  let bundle: string;
  let root: string;
  let remote: { directory: string; url: string };
  /** Who the root worker runs its agents as: a uid of this suite's own. */
  const AGENT_UID = testAgentUid();
  const workers: WorkerProcess[] = [];
  /** Each worker's token, which it decrypts from moto's KMS at start as a task does. */
  let sealed: SealedWorker;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-worker-'));
    // As the image's paths are: the agent (uid 1000 when the worker is root) can reach its workspace below.
    fs.chmodSync(root, 0o755);
    [moto, bundle] = await Promise.all([startMoto(), bundleWorker(path.join(root, 'worker.js'))]);
    await createBucket(moto.endpoint, BUCKET);
    sealed = await sealedWorker();
    remote = createRemote(root);
  });
  afterAll(async () => {
    workers.forEach((worker) => worker.kill());
    await moto.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  interface Run {
    readonly dispatchId: string;
    readonly worker: WorkerProcess;
    readonly workspaceRoot: string;
    readonly record: string;
    /** The Anthropic API the worker's model gateway forwards to: a stand-in behind TLS with a test CA. */
    readonly provider: ProviderStandIn;
  }
  const stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
  });

  async function startRun(agent: keyof typeof RECORDED_USAGE, env: Record<string, string> = {}): Promise<Run> {
    const dispatchId = newDispatchId();
    const runRoot = path.join(root, dispatchId);
    const home = path.join(runRoot, 'home');
    fs.mkdirSync(home, { recursive: true });
    // The agent's home, as the image makes it; the fake agent writes its record there.
    fs.chownSync(home, AGENT_UID, AGENT_UID);
    const record = path.join(home, 'agent-record.json');
    const provider = await startAnthropicStandIn({ apiKey: PROVIDER_KEY, edit: { file: 'unused.txt', content: '' } });
    const front = await httpsFront(provider);
    stops.push(() => front.stop(), () => provider.stop());
    const ca = path.join(runRoot, 'provider-ca.pem');
    fs.writeFileSync(ca, front.ca);
    const worker = await WorkerProcess.start(bundle, {
      OUTPOST_GATEWAY_UPSTREAM_ANTHROPIC: front.url,
      NODE_EXTRA_CA_CERTS: ca,
      HOME: home,
      OUTPOST_AGENT: agent,
      ...sealed.env,
      OUTPOST_WORKSPACE_ROOT: path.join(runRoot, 'workspace'),
      OUTPOST_PERSISTENT_WORKSPACE_PATH: path.join(root, 'persistent'),
      OUTPOST_AGENT_COMMAND: fakeAgent(agent),
      OUTPOST_ALLOW_FILE_REPOSITORIES: '1',
      AWS_REGION: 'us-east-1',
      ANTHROPIC_API_KEY: PROVIDER_KEY,
      FAKE_AGENT_RECORD: record,
      OUTPOST_TEST_AGENT_UID: String(AGENT_UID),
      ...env,
    });
    workers.push(worker);
    return { dispatchId, worker, workspaceRoot: path.join(runRoot, 'workspace'), record, provider };
  }

  interface Grant {
    /** The bucket's URL: moto's by default. */
    readonly bucketUrl?: string;
    /** A smaller limit than the hand-off's, to have an artifact go over it. */
    readonly maxBytes?: number;
  }

  /** The assignment as the hand-off builds it: the control plane's presigned POST and assignment builder. */
  async function assignment(run: Pick<Run, 'dispatchId'>, agent: Assignment['agent'], dispatch: Partial<HandoffDispatch> = {}, grant: Grant = {}): Promise<Assignment> {
    const timeoutSeconds = dispatch.timeoutSeconds ?? 600;
    const store = artifactStore(BUCKET, grant.bucketUrl ?? `${moto.endpoint}/${BUCKET}`);
    // As runtime/services/handoff.ts presigns it: for the run and an hour after.
    const upload = await store.presignUpload(run.dispatchId, { expiresSeconds: timeoutSeconds + 3600, maxBytes: grant.maxBytes });
    return buildAssignment({
      id: run.dispatchId,
      agent,
      model: 'test-model-1',
      prompt: 'Add outpost-fake.txt\n\nWith a friendly line in it.',
      repository: { url: remote.url, baseBranch: 'main' },
      workspace: { kind: 'ephemeral' },
      ...dispatch,
      timeoutSeconds,
    }, upload, { token: GIT_TOKEN });
  }

  async function artifact(run: Run, name: string): Promise<string | undefined> {
    return getObject(moto.endpoint, BUCKET, `artifacts/${run.dispatchId}/${name}`);
  }

  async function result(run: Run): Promise<Record<string, unknown>> {
    const document = await artifact(run, 'result.json');
    if (!document) {
      throw new Error(`no result.json for ${run.dispatchId}; worker output:\n${run.worker.stdout}`);
    }
    return JSON.parse(document) as Record<string, unknown>;
  }

  function recorded(run: Run): { argv: string[]; cwd: string; env: Record<string, string> } {
    return JSON.parse(fs.readFileSync(run.record, 'utf8'));
  }

  test('runs the agent, commits and pushes its change, uploads the artifacts and result.json, keeps the credential to itself', async () => {
    const marker = path.join(root, 'planted-hooks-ran');
    const run = await startRun('claude', {
      FAKE_AGENT_SLEEP_SECONDS: '1',
      FAKE_AGENT_PRINT_ENV: 'ANTHROPIC_API_KEY',
      FAKE_AGENT_PRINT_ENV_BASE64: 'ANTHROPIC_API_KEY',
      FAKE_AGENT_MODEL_CALLS: '2',
      FAKE_AGENT_PLANT_HOOKS: marker,
    });
    const { worker, dispatchId } = run;
    const body = await assignment(run, 'claude');

    expect(await worker.health()).toBe('idle');
    expect((await worker.postAssignment(body, 'not-the-token')).status).toBe(401);
    const accepted = await worker.postAssignment(body, sealed.token);
    expect(accepted).toEqual({ status: 202, body: { accepted: true, dispatchId } });
    expect(await worker.health()).toBe('busy');
    const second = await worker.postAssignment(body, sealed.token);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'already_assigned' });

    expect(await worker.exited).toBe(0);

    // The change is on outpost/<dispatchId> in the remote, on top of main.
    const branch = `outpost/${dispatchId}`;
    const pushed = branchCommit(remote.directory, branch);
    expect(pushed).toBeDefined();
    expect(git(remote.directory, 'show', `${branch}:outpost-fake.txt`)).toBe('written by the fake claude');
    expect(git(remote.directory, 'rev-parse', `${branch}^`)).toBe(branchCommit(remote.directory, 'main'));
    expect(git(remote.directory, 'log', '-1', '--format=%an <%ae>%n%s', branch)).toBe('Outpost Agent <agent@outpost.invalid>\nAdd outpost-fake.txt');

    // Exactly these fields: an ephemeral workspace is charged as the task's ephemeral storage, so it has no workspaceSize.
    expect(await result(run)).toEqual({
      dispatchId,
      agent: 'claude',
      model: 'test-model-1',
      status: 'succeeded',
      exitCode: 0,
      // The model gateway's figures: what the API reported for the two calls the agent made through it.
      tokenUsage: sumUsage(run.provider.reportedUsage()),
      modelUsage: run.provider.reportedUsage(),
      commit: pushed,
      branch,
      durationSeconds: expect.any(Number),
      error: null,
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      finishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const transcript = await artifact(run, 'transcript.log');
    expect(transcript).toContain('"type":"result"');
    expect(await artifact(run, 'stderr.log')).toBe('claude: working\n');
    expect(await artifact(run, 'changes.patch')).toContain('+written by the fake claude');

    // The CLI was started as Claude Code's print mode, in the clone, without the worker's secrets.
    const agentStart = recorded(run);
    expect(agentStart.argv).toEqual(['-p', '--model', 'test-model-1', '--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions', '--', body.prompt]);
    expect(agentStart.cwd).toBe(path.join(run.workspaceRoot, dispatchId));
    // It holds the gateway's placeholder, never the key, and reaches the API through the gateway alone.
    expect(agentStart.env).toMatchObject({ IS_SANDBOX: '1', ANTHROPIC_API_KEY: PLACEHOLDER_KEY, ANTHROPIC_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/anthropic$/) });
    expect(JSON.stringify(agentStart.env)).not.toContain(PROVIDER_KEY);
    expect(run.provider.requests.map((request) => request.path)).toEqual(['POST /v1/messages', 'POST /v1/messages']);
    expect(Object.keys(agentStart.env).filter((name) => name.startsWith('OUTPOST_'))).toEqual([]);
    expect(JSON.stringify(agentStart.env)).not.toContain(GIT_TOKEN);
    // Nor the worker token, in clear or as the ciphertext the agent's task role could ask KMS to open.
    expect(JSON.stringify(agentStart.env)).not.toContain(sealed.token);
    expect(JSON.stringify(agentStart.env)).not.toContain(sealed.env.OUTPOST_WORKER_TOKEN_CIPHERTEXT);

    // Secrets appear nowhere the worker writes: logs, result, transcript, the clone's git directory.
    const gitDirectory = path.join(run.workspaceRoot, dispatchId, '.git');
    const gitFiles = execFileAsync('grep', ['-r', '-l', GIT_TOKEN, gitDirectory]).then(() => 'found', () => 'none');
    expect(await gitFiles).toBe('none');
    for (const text of [worker.stdout, JSON.stringify(await result(run)), transcript]) {
      expect(text).not.toContain(GIT_TOKEN);
      expect(text).not.toContain(PROVIDER_KEY);
      expect(text).not.toContain(sealed.token);
    }
    // What the agent printed of its key, plainly or base64-encoded, is the placeholder: the key was never its to print.
    expect(transcript).toContain(`debug: ANTHROPIC_API_KEY=${PLACEHOLDER_KEY}`);
    expect(transcript).toContain(`debug: ANTHROPIC_API_KEY in base64=${Buffer.from(PLACEHOLDER_KEY).toString('base64')}`);
    expect(transcript).not.toContain(Buffer.from(PROVIDER_KEY).toString('base64'));
    // The CLI's own figures (its recorded output) stay a cross-check, logged where they differ from the gateway's.
    expect(worker.logLines().find((line) => line.step === 'gateway' && line.level === 'warn')).toMatchObject({
      reported: [{ model: 'claude-sonnet-4-5-20250929', ...RECORDED_USAGE.claude }], metered: run.provider.reportedUsage(),
    });

    // What the agent planted in .git did not run, and its configuration was replaced.
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.readFileSync(path.join(gitDirectory, 'config'), 'utf8')).not.toContain('planted');

    // Every line the worker wrote is a structured log line.
    const lines = worker.logLines();
    expect(lines.every((line) => ['level', 'time', 'dispatchId', 'step', 'message'].every((field) => field in line))).toBe(true);
    expect(lines.filter((line) => line.step === 'agent' && line.dispatchId === dispatchId).length).toBeGreaterThan(5);
    expect(lines.map((line) => line.step)).toEqual(expect.arrayContaining(['workspace', 'clone', 'agent', 'publish', 'artifacts', 'result']));
  });

  test('a token KMS will not open under the worker\'s context (sealed for another cluster) stops the worker at start, saying why', async () => {
    const started = execFileAsync(process.execPath, [bundle], {
      env: { PATH: process.env.PATH ?? '', OUTPOST_AGENT: 'claude', ...sealed.env, OUTPOST_CLUSTER: 'another-cluster' },
      timeout: 30_000,
    });
    const failure = await started.then(() => undefined, (error: { code?: number; stdout?: string }) => error);
    expect(failure?.code).toBe(1);
    expect(JSON.parse(failure!.stdout!.trim())).toMatchObject({
      level: 'error', step: 'startup', message: expect.stringMatching(/^could not decrypt OUTPOST_WORKER_TOKEN_CIPHERTEXT with KMS: KMS InvalidCiphertextException/),
    });
  });

  test('in a task, the worker takes its role\'s credentials from ECS\'s credentials endpoint to decrypt its token', async () => {
    const requests: string[] = [];
    const endpoint = http.createServer((request, response) => {
      requests.push(request.url ?? '');
      // The endpoint's answer as the ECS developer guide documents it ("Amazon ECS task IAM role"); moto takes any keys.
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({
        RoleArn: 'arn:aws:iam::123456789012:role/outpost-agent-claude',
        AccessKeyId: 'ASIATASKROLEEXAMPLE',
        SecretAccessKey: 'task-role-secret-access-key-example',
        Token: 'task-role-session-token-example',
        Expiration: new Date(Date.now() + 3_600_000).toISOString(),
      }));
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    try {
      // No keys in the environment, as in a task: only the endpoint ECS names.
      const taskEnvironment = Object.fromEntries(Object.entries(sealed.env).filter(([name]) => name !== 'AWS_ACCESS_KEY_ID' && name !== 'AWS_SECRET_ACCESS_KEY'));
      const worker = await WorkerProcess.start(bundle, {
        HOME: root,
        OUTPOST_AGENT: 'claude',
        ...taskEnvironment,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/v2/credentials/task-role`,
      });
      workers.push(worker);
      expect(await worker.health()).toBe('idle');
      expect(requests).toEqual(['/v2/credentials/task-role']);
    } finally {
      endpoint.close();
    }
  });

  test('a run that reaches its budget is stopped, fails with BudgetExceeded naming the spend and the limit, and its work is still pushed', async () => {
    // The stand-in's first two answers cost $0.004344 + $0.00471 at these rates: the second crosses the limit.
    const run = await startRun('claude', { FAKE_AGENT_MODEL_CALLS: 'until-refused', FAKE_AGENT_SLEEP_SECONDS: '60' });
    const budget = { maxCostUsd: 0.008, rates: { 'test-model-1': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 } }, fallbackRates: { input: 3, output: 15, cachedInput: 0.3 } };
    expect((await run.worker.postAssignment({ ...await assignment(run, 'claude'), budget }, sealed.token)).status).toBe(202);

    expect(await run.worker.exited).toBe(1);
    const written = await result(run);
    expect(written).toMatchObject({
      status: 'failed',
      exitCode: 1,
      failureCode: 'BudgetExceeded',
      error: 'the run reached its budget: the model gateway metered $0.009054 against maxCostUsd $0.008 and stopped the agent',
      modelUsage: run.provider.reportedUsage(),
      branch: `outpost/${run.dispatchId}`,
    });
    // Two calls reached the API; a third, if the agent made one before it was stopped, got the gateway's billing error.
    expect(run.provider.requests).toHaveLength(2);
    expect(await artifact(run, 'transcript.log')).not.toMatch(/model call 3: HTTP (?!402 )/);
    // What the agent did before it was stopped is committed and pushed.
    expect(git(remote.directory, 'show', `outpost/${run.dispatchId}:outpost-fake.txt`)).toBe('written by the fake claude');
  });

  test('SIGTERM mid-run stops the agent, pushes what it did, uploads the artifacts, and reports cancelled (143)', async () => {
    const run = await startRun('codex', { FAKE_AGENT_SLEEP_SECONDS: '30' });
    expect((await run.worker.postAssignment(await assignment(run, 'codex'), sealed.token)).status).toBe(202);
    await run.worker.waitFor(() => fs.existsSync(run.record), 'the agent to start');
    const stopped = Date.now();
    run.worker.signal('SIGTERM');

    expect(await run.worker.exited).toBe(143);
    expect(Date.now() - stopped).toBeLessThan(8000);
    expect(await result(run)).toMatchObject({ status: 'cancelled', exitCode: 143, tokenUsage: null, branch: `outpost/${run.dispatchId}` });
    expect(git(remote.directory, 'show', `outpost/${run.dispatchId}:outpost-fake.txt`)).toBe('written by the fake codex');
    expect(await artifact(run, 'transcript.log')).toContain('"type":"thread.started"');
    expect(recorded(run).argv).toEqual(['exec', '--json', '--model', 'test-model-1', '--dangerously-bypass-approvals-and-sandbox', '--skip-git-repo-check', '--cd', recorded(run).cwd, '--', expect.any(String)]);
  });

  test('an agent that outlives timeoutSeconds is stopped and reported as timed_out (124)', async () => {
    // 60 s (the minimum timeoutSeconds) scaled down to 1.2 s.
    const run = await startRun('gemini', { FAKE_AGENT_SLEEP_SECONDS: '30', OUTPOST_TEST_TIMEOUT_SCALE: '0.02' });
    expect((await run.worker.postAssignment(await assignment(run, 'gemini', { timeoutSeconds: 60 }), sealed.token)).status).toBe(202);

    expect(await run.worker.exited).toBe(124);
    expect(await result(run)).toMatchObject({ status: 'timed_out', exitCode: 124, error: expect.stringContaining('timeoutSeconds') });
    expect(branchCommit(remote.directory, `outpost/${run.dispatchId}`)).toBeDefined();
  });

  test('a failing agent fails the dispatch with its own exit code; its scratch files stay out of the commit', async () => {
    const run = await startRun('aider', { FAKE_AGENT_EXIT_CODE: '3' });
    expect((await run.worker.postAssignment(await assignment(run, 'aider'), sealed.token)).status).toBe(202);

    expect(await run.worker.exited).toBe(3);
    // The fakes here call no model: the gateway, the meter, counted nothing, whatever the CLI printed.
    expect(await result(run)).toMatchObject({ status: 'failed', exitCode: 3, tokenUsage: null, error: 'the agent exited with code 3' });
    const files = git(remote.directory, 'ls-tree', '-r', '--name-only', `outpost/${run.dispatchId}`);
    expect(files.split('\n')).toEqual(['README.md', 'outpost-fake.txt']);
  });

  test('a persistent workspace is cloned once and refreshed from the base branch on the next dispatch', async () => {
    for (const round of [1, 2]) {
      const run = await startRun('grok', { XAI_API_KEY: 'xai-fake-key' });
      const body = await assignment(run, 'grok', { workspace: { kind: 'persistent', name: 'team-a' } });
      expect((await run.worker.postAssignment(body, sealed.token)).status).toBe(202);
      expect(await run.worker.exited).toBe(0);

      // Measured after the push: the clone, its new commit and what the agent wrote, as the workspace holds them now.
      expect(await result(run)).toMatchObject({
        status: 'succeeded', tokenUsage: null, branch: `outpost/${run.dispatchId}`, workspaceSize: await measureWorkspace(path.join(root, 'persistent')),
      });
      // Each dispatch starts from main, not from the previous dispatch's commit.
      expect(git(remote.directory, 'rev-parse', `outpost/${run.dispatchId}^`)).toBe(branchCommit(remote.directory, 'main'));
      expect(git(remote.directory, 'ls-tree', '-r', '--name-only', `outpost/${run.dispatchId}`).split('\n')).toEqual(['README.md', 'outpost-fake.txt']);
      const start = recorded(run);
      expect(start.cwd).toBe(path.join(root, 'persistent'));
      expect(JSON.stringify(start.env)).not.toContain('xai-fake-key');
      // opencode holds the gateway's placeholder, and its XAI_BASE_URL is the gateway's.
      expect(start.env).toMatchObject({ XAI_API_KEY: PLACEHOLDER_KEY, XAI_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/xai\/v1$/) });
      const checkout = run.worker.logLines().filter((line) => line.step === 'clone').map((line) => line.message);
      expect(checkout).toContain(round === 1 ? 'cloning the base branch' : 'the workspace holds a clone: fetching the base branch');
    }
  });

  test('a persistent workspace that cannot be measured leaves workspaceSize out of a run that otherwise stands', async () => {
    // In a directory the agent may write (its home), so that it can remove the workspace.
    const agentWritable = fs.mkdtempSync(path.join(root, 'agent-'));
    fs.chownSync(agentWritable, AGENT_UID, AGENT_UID);
    const run = await startRun('claude', { FAKE_AGENT_REMOVE_WORKDIR: '1', OUTPOST_PERSISTENT_WORKSPACE_PATH: path.join(agentWritable, 'persistent-removed') });
    const body = await assignment(run, 'claude', { workspace: { kind: 'persistent', name: 'removed' }, repository: undefined });
    expect((await run.worker.postAssignment(body, sealed.token)).status).toBe(202);

    expect(await run.worker.exited).toBe(0);
    const written = await result(run);
    expect(written).toMatchObject({ status: 'succeeded', error: null });
    expect(written).not.toHaveProperty('workspaceSize');
    expect(run.worker.logLines()).toContainEqual(expect.objectContaining({ level: 'error', step: 'measure', message: 'failed', error: expect.stringContaining('ENOENT') }));
  });

  test('without a repository the agent runs in an empty workspace and nothing is pushed', async () => {
    const run = await startRun('claude');
    expect((await run.worker.postAssignment(await assignment(run, 'claude', { repository: undefined }), sealed.token)).status).toBe(202);

    expect(await run.worker.exited).toBe(0);
    expect(await result(run)).toMatchObject({ status: 'succeeded', commit: null, branch: null, tokenUsage: null });
    expect(await artifact(run, 'changes.patch')).toBeUndefined();
  });

  test('a clone that fails is a platform failure (exit 1) and the agent never starts', async () => {
    const run = await startRun('claude');
    const body = await assignment(run, 'claude', { repository: { url: remote.url, baseBranch: 'no-such-branch' } });
    expect((await run.worker.postAssignment(body, sealed.token)).status).toBe(202);

    expect(await run.worker.exited).toBe(1);
    expect(await result(run)).toMatchObject({ status: 'failed', exitCode: 1, commit: null, error: expect.stringContaining('no-such-branch') });
    expect(fs.existsSync(run.record)).toBe(false);
  });

  test("the upload grant is the control plane's: S3 takes files only under the dispatch's prefix, and none over 1 GiB", async () => {
    // Moto checks no POST policy, so what S3 would enforce is read from the policy the presigner signed.
    const run = { dispatchId: newDispatchId() };
    const { upload } = await assignment(run, 'claude');
    const prefix = `artifacts/${run.dispatchId}/`;
    const policy = JSON.parse(Buffer.from(upload.fields.Policy, 'base64').toString('utf8')) as { conditions: unknown[] };
    expect(upload.keyPrefix).toBe(prefix);
    expect(upload.fields.key).toBe(`${prefix}\${filename}`);
    expect(policy.conditions).toContainEqual(['content-length-range', 0, UPLOAD_MAX_BYTES]);
    expect(policy.conditions).toContainEqual({ bucket: BUCKET });
    // The one condition on the key: a prefix ending in `/`, so no other dispatch's key matches it.
    const onKey = (condition: unknown) => (Array.isArray(condition) ? condition[1] === '$key' : Object.keys(condition as object).includes('key'));
    expect(policy.conditions.filter(onKey)).toEqual([['starts-with', '$key', prefix]]);
  });

  test('an artifact larger than the upload policy allows is not sent: result.json says which and why, and the rest go up', async () => {
    const run = await startRun('claude');
    const maxBytes = 3000;
    expect((await run.worker.postAssignment(await assignment(run, 'claude', {}, { maxBytes }), sealed.token)).status).toBe(202);

    expect(await run.worker.exited).toBe(1);
    const written = await result(run);
    expect(written).toMatchObject({ status: 'failed', exitCode: 1, tokenUsage: null, branch: `outpost/${run.dispatchId}` });
    expect(written.error).toMatch(new RegExp(`^transcript\\.log was not uploaded: it is \\d+ bytes, more than the ${maxBytes} the upload policy allows$`));
    expect(await artifact(run, 'transcript.log')).toBeUndefined();
    expect(await artifact(run, 'stderr.log')).toBe('claude: working\n');
    expect(await artifact(run, 'changes.patch')).toContain('+written by the fake claude');
    expect(run.worker.logLines().filter((line) => line.step === 'artifacts').map((line) => line.message)).toEqual(['started', 'finished']);
  });

  test("S3's 400 EntityTooLarge for an artifact is reported in result.json, and the other files still go up", async () => {
    const s3 = await S3PostStandIn.start(3000);
    try {
      const run = await startRun('claude');
      // The policy admits 1 GiB: only S3's answer stops the transcript.
      const body = await assignment(run, 'claude', {}, { bucketUrl: s3.url });
      expect((await run.worker.postAssignment(body, sealed.token)).status).toBe(202);

      expect(await run.worker.exited).toBe(1);
      const prefix = `artifacts/${run.dispatchId}/`;
      expect(s3.refused).toEqual([`${prefix}transcript.log`]);
      expect([...s3.objects.keys()].sort()).toEqual(['changes.patch', 'result.json', 'stderr.log'].map((name) => `${prefix}${name}`));
      expect(JSON.parse(s3.objects.get(`${prefix}result.json`)!.toString('utf8'))).toMatchObject({
        status: 'failed',
        exitCode: 1,
        error: 'upload of transcript.log was refused: HTTP 400 EntityTooLarge: Your proposed upload exceeds the maximum allowed object size.',
      });
    } finally {
      await s3.stop();
    }
  });

  test('--healthcheck exits 0 against a live worker and 1 when nothing answers; SIGTERM ends an idle worker with 143', async () => {
    const run = await startRun('claude');
    const check = (port: number) => execFileAsync(process.execPath, [bundle, '--healthcheck'], { env: { PATH: process.env.PATH, OUTPOST_WORKER_PORT: String(port) } })
      .then(() => 0, (error: { code: number }) => error.code);
    expect(await check(run.worker.port)).toBe(0);
    run.worker.signal('SIGTERM');
    expect(await run.worker.exited).toBe(143);
    expect(await check(run.worker.port)).toBe(1);
  });
});
