import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { testAgentUid } from './support/agent-uid';
import { getObject, artifactStore } from './support/s3';
import { fakeAgent, WorkerProcess } from './support/worker-process';
import { DispatchRepository } from '../../runtime/adapters/dispatch-repository';
import { type UploadTarget } from '../../runtime/contracts/upload-target';
import type { PlatformConfig } from '../../runtime/core/config';
import type { Dispatch } from '../../runtime/core/dispatch/dispatch';
import { buildAssignment } from '../../runtime/core/handoff/assignment';
import { WORKER_CREDENTIALS_FUNCTION_VARIABLE } from '../../runtime/core/handoff/worker-credentials';
import { GitServer } from '../../runtime/local/kit/git-server';
import { uploadFile } from '../../runtime/worker/upload';
import { queued } from '../runtime/dispatch/support/dispatches';
import { dispatchOnTask } from '../support/dispatch-on-task';
import { LambdaInvokeStandIn } from '../support/lambda-invoke-stand-in';
import { workerKmsEnvironment } from '../support/moto-kms';
import { startMotoPlatform, type MotoPlatform } from '../support/moto-platform';
import { S3PostPolicyCheck } from '../support/s3-post-policy-check';

const ASSETS = path.join(__dirname, '..', '..', 'assets');
const FUNCTION_NAME = 'TestOutpostLifecycle-worker-credentials';
/** Where Debian's git (libcurl-gnutls) reads the CAs it trusts: the git server's is added in the worker's mount namespace only. */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const FIRST_TOKEN = 'ghs_assignmenttoken0000000000000000000';
const FRESH_TOKEN = 'ghs_renewedtoken11111111111111111111111';

/**
 * The bundled worker asks the bundled worker-credentials handler for fresh credentials before it pushes and
 * uploads: through a stand-in for Lambda's Invoke API (moto has none without Docker) that runs the handler
 * against moto, with the worker's SigV4 signature and its sealed token as the proof. The assignment's
 * credentials are made to expire during the run: its upload policy's expiration passes (S3PostPolicyCheck
 * refuses it as S3 does) and the git server stops accepting its token.
 */
describe('the worker renews its credentials before it publishes (bundled worker + bundled handler + moto)', () => {
  let platform: MotoPlatform;
  let config: PlatformConfig;
  let git: GitServer;
  let s3: S3PostPolicyCheck;
  let lambda: LambdaInvokeStandIn;
  let secretArn: string;
  let root: string;
  let caBundle: string;
  const workers: WorkerProcess[] = [];
  const AGENT_UID = testAgentUid();

  beforeAll(async () => {
    if (process.getuid?.() !== 0) {
      throw new Error('this suite runs the worker in a mount namespace of its own (unshare, as root) to add the test git server\'s CA where git reads its trusted CAs: run it as root, as CI does');
    }
    if (!fs.existsSync(path.join(ASSETS, 'handlers', 'worker-credentials', 'index.js'))) {
      throw new Error(`${ASSETS} is missing the bundles: run \`npx projen bundle:runtime\` first`);
    }
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-renewal-'));
    // As the image's paths are: the agent (uid AGENT_UID, since the worker is root) can reach its workspace below.
    fs.chmodSync(root, 0o755);
    platform = await startMotoPlatform();
    git = await GitServer.start(FIRST_TOKEN);
    caBundle = path.join(root, 'ca-certificates.crt');
    fs.writeFileSync(caBundle, `${fs.readFileSync(SYSTEM_CA_BUNDLE, 'utf8')}\n${git.caCertificate}`);
    s3 = await S3PostPolicyCheck.start(platform.moto.endpoint);
    ({ ARN: secretArn } = await new SecretsManagerClient({}).send(new CreateSecretCommand({ Name: 'outpost/git-token', SecretString: FIRST_TOKEN })) as { ARN: string });
    config = {
      ...platform.config,
      artifactsBucketUrl: s3.bucketUrl(platform.config.artifactsBucket),
      gitCredentials: { secret: secretArn, hosts: [`127.0.0.1:${git.port}`] },
    };
    lambda = await LambdaInvokeStandIn.start(FUNCTION_NAME, path.join(ASSETS, 'handlers', 'worker-credentials', 'index.js'), {
      ...workerKmsEnvironment(),
      PATH: process.env.PATH ?? '',
      OUTPOST_CONFIG: JSON.stringify(config),
    });
  });
  afterAll(async () => {
    workers.forEach((worker) => worker.kill());
    await Promise.all([lambda?.stop(), s3?.stop(), git?.stop()]);
    await platform?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  interface Run {
    readonly dispatch: Dispatch;
    readonly repository: string;
    readonly worker: WorkerProcess;
    readonly record: string;
    readonly token: string;
    /** The assignment's presigned POST. */
    readonly upload: UploadTarget;
  }

  /**
   * A dispatch RUNNING on a task whose pool item holds its sealed token, as the hand-off leaves it, and that
   * task's worker (the bundle as it ships) with its assignment: an upload policy that lives `uploadSeconds`.
   */
  async function startRun(options: { uploadSeconds: number; agentSeconds: number; env?: Record<string, string> }): Promise<Run> {
    const repository = git.createRepository(`acme/app-${randomBytes(4).toString('hex')}`);
    const url = `https://127.0.0.1:${git.port}/${repository}.git`;
    const { dispatch, token, tokenCiphertext: ciphertext } = await dispatchOnTask(config, queued({ repository: { url } }, undefined, new Date()));

    const home = path.join(root, dispatch.id, 'home');
    fs.mkdirSync(home, { recursive: true });
    // The agent's home, as the image makes it; the fake agent writes its record there.
    fs.chownSync(home, AGENT_UID, AGENT_UID);
    const record = path.join(home, 'agent-record.json');
    const worker = await WorkerProcess.start(path.join(ASSETS, 'worker', 'worker.js'), {
      HOME: home,
      OUTPOST_AGENT: 'claude',
      ...workerKmsEnvironment(),
      OUTPOST_WORKER_TOKEN_CIPHERTEXT: ciphertext,
      OUTPOST_CLUSTER: config.cluster,
      OUTPOST_WORKSPACE_ROOT: path.join(root, dispatch.id, 'workspace'),
      OUTPOST_AGENT_COMMAND: fakeAgent('claude'),
      FAKE_AGENT_RECORD: record,
      OUTPOST_TEST_AGENT_UID: String(AGENT_UID),
      FAKE_AGENT_SLEEP_SECONDS: String(options.agentSeconds),
      // What the task definition sets, and where this test's Lambda is.
      [WORKER_CREDENTIALS_FUNCTION_VARIABLE]: FUNCTION_NAME,
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      ...options.env,
    }, ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', `mount --bind "$0" ${SYSTEM_CA_BUNDLE} && exec "$@"`, caBundle]);
    workers.push(worker);

    // The hand-off's assignment: its presigned POST (to S3 behind the policy check) and the git token minted then.
    const store = artifactStore(config.artifactsBucket, config.artifactsBucketUrl);
    const upload = await store.presignUpload(dispatch.id, { expiresSeconds: options.uploadSeconds });
    const assignment = buildAssignment({
      id: dispatch.id,
      agent: 'claude',
      model: 'claude-sonnet-4-5',
      prompt: 'Add outpost-fake.txt',
      repository: { url, baseBranch: 'main' },
      workspace: { kind: 'ephemeral' },
      timeoutSeconds: 600,
    }, upload, { token: FIRST_TOKEN });
    const accepted = await worker.postAssignment(assignment, token);
    expect(accepted.status).toBe(202);
    return { dispatch, repository, worker, record, token, upload };
  }

  /** The agent has started (the clone, with the assignment's token, is done). */
  async function agentStarted(run: Run): Promise<void> {
    await run.worker.waitFor(() => fs.existsSync(run.record), 'the agent to start', 30_000);
  }

  async function result(run: Run): Promise<Record<string, any> | undefined> {
    const document = await getObject(platform.moto.endpoint, config.artifactsBucket, `artifacts/${run.dispatch.id}/result.json`);
    return document === undefined ? undefined : JSON.parse(document);
  }

  test('the assignment\'s credentials expired during the run: it pushes and uploads with fresh ones', async () => {
    const run = await startRun({ uploadSeconds: 2, agentSeconds: 3 });
    await agentStarted(run);
    // The installation token expires: the host takes only the one minted now, which the secret holds.
    git.rotateToken(FRESH_TOKEN);
    await new SecretsManagerClient({}).send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: FRESH_TOKEN }));
    expect(await run.worker.exited).toBe(0);

    // The assignment's own policy is past its expiration by now: S3 refuses it.
    await expect(uploadFile(run.upload, 'late.txt', Buffer.from('x'), 'text/plain'))
      .rejects.toThrow('HTTP 403 AccessDenied: Invalid according to Policy: Policy expired.');

    expect(lambda.invocations.filter((call) => (call.event as { dispatchId?: string }).dispatchId === run.dispatch.id)).toEqual([{
      functionName: FUNCTION_NAME, event: { dispatchId: run.dispatch.id, token: run.token }, credentialScope: expect.stringMatching(/^testing\/\d{8}\/us-east-1\/lambda\/aws4_request$/),
    }]);
    expect(await result(run)).toMatchObject({ dispatchId: run.dispatch.id, status: 'succeeded', commit: expect.stringMatching(/^[0-9a-f]{40}$/), error: null });
    expect(s3.refused.filter((post) => post.key.includes(run.dispatch.id))).toEqual([{ key: `artifacts/${run.dispatch.id}/late.txt`, code: 'AccessDenied' }]);
    const pushed = await git.commit(run.repository, `outpost/${run.dispatch.id}`);
    expect(pushed?.files['outpost-fake.txt']).toBe('written by the fake claude\n');
    const renewal = run.worker.logLines().find((line) => line.step === 'credentials');
    expect(renewal).toMatchObject({ level: 'info', message: 'renewed', git: true });
    expect(run.worker.stdout).not.toContain(FRESH_TOKEN);
    expect(run.worker.stdout).not.toContain(run.token);
  });

  test('the same run without renewal (no function named): the push is refused and result.json is lost, so the run is unknown', async () => {
    git.rotateToken(FIRST_TOKEN);
    await new SecretsManagerClient({}).send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: FIRST_TOKEN }));
    const run = await startRun({ uploadSeconds: 2, agentSeconds: 3, env: { [WORKER_CREDENTIALS_FUNCTION_VARIABLE]: '' } });
    await agentStarted(run);
    const refusedBefore = git.unauthorized;
    git.rotateToken(FRESH_TOKEN);
    expect(await run.worker.exited).not.toBe(0);
    expect(git.unauthorized).toBeGreaterThan(refusedBefore);
    expect(await git.commit(run.repository, `outpost/${run.dispatch.id}`)).toBeUndefined();
    expect(await result(run)).toBeUndefined();
    expect(s3.refused).toContainEqual({ key: `artifacts/${run.dispatch.id}/result.json`, code: 'AccessDenied' });
    expect(run.worker.logLines().find((line) => line.step === 'credentials')).toMatchObject({ level: 'warn', message: expect.stringContaining('is not set') });
  });

  test.each([
    [
      'the function refuses it (no such function: Lambda\'s 404)',
      { [WORKER_CREDENTIALS_FUNCTION_VARIABLE]: 'another-function' },
      'Lambda ResourceNotFoundException: Function not found: another-function',
    ],
    ['Lambda cannot be reached', { AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9' }, 'fetch failed'],
  ])('a renewal that fails (%s) leaves the run its assignment\'s credentials, and says why', async (_name, env, reason) => {
    git.rotateToken(FIRST_TOKEN);
    await new SecretsManagerClient({}).send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: FIRST_TOKEN }));
    const run = await startRun({ uploadSeconds: 600, agentSeconds: 0, env });
    expect(await run.worker.exited).toBe(0);
    expect(await result(run)).toMatchObject({ status: 'succeeded', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(await git.commit(run.repository, `outpost/${run.dispatch.id}`)).toBeDefined();
    const renewal = run.worker.logLines().find((line) => line.step === 'credentials');
    expect(renewal).toMatchObject({ level: 'warn', message: 'not renewed: the push and uploads use the assignment\'s credentials', error: expect.stringContaining(reason) });
  });

  test('a refusal by the function (the dispatch is no longer running) falls back as well, with the function\'s reason', async () => {
    git.rotateToken(FIRST_TOKEN);
    await new SecretsManagerClient({}).send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: FIRST_TOKEN }));
    const run = await startRun({ uploadSeconds: 600, agentSeconds: 2 });
    await agentStarted(run);
    const dispatches = new DispatchRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.tables.dispatches, config.tables.indexes);
    const ended = await dispatches.transition(run.dispatch, 'FAILED', new Date(), { reason: 'test', error: 'test' });
    expect(ended.applied).toBe(true);
    expect(await run.worker.exited).toBe(0);
    expect(await result(run)).toMatchObject({ status: 'succeeded' });
    const renewal = run.worker.logLines().find((line) => line.step === 'credentials');
    expect(renewal).toMatchObject({ level: 'warn', error: expect.stringContaining('refused (409 NotRunning, dispatchId)') });
  });
});
