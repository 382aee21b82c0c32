import * as path from 'path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { outpost, startOutpost } from './outpost-bin';
import type { DoctorReport } from '../../../runtime/cli/doctor/report';
import type { PlatformConfig } from '../../../runtime/core/config';
import { runningTaskEvent, taskEvent } from '../../support/ecs-events';
import { startFakeWorkers, type FakeWorkerFleet } from '../../support/fake-workers';
import { startLocalApi, type LocalApi } from '../../support/local-api';
import { startMotoPlatform, type MotoPlatform } from '../../support/moto-platform';
import { workerDocument, workerResult } from '../artifacts/worker-result';
import { ALICE } from '../dispatch/support/dispatches';
import { agentTaskDefinition, ecrRepositoryWithImage } from '../fleet/moto-images';

const READER = 'arn:aws:sts::123456789012:assumed-role/Readers/carol';

/**
 * `outpost doctor`, the bin as a user runs it, against the real handlers behind the local API Gateway on moto:
 * claude set up as a run needs it (its image in ECR, a key put in its secret), codex not (its image never
 * pushed, its secret still the placeholder).
 */
describe('outpost doctor (local API Gateway, real handlers, moto)', () => {
  let platform: MotoPlatform;
  let api: LocalApi;
  let workers: FakeWorkerFleet;
  let config: PlatformConfig;
  const secrets = new SecretsManagerClient({});
  const arns: Record<string, string> = {};

  const envOf = (caller = 'alice', overrides: Record<string, string> = {}) => ({
    ...api.userEnvironment(caller),
    OUTPOST_CONFIG: path.join(__dirname, 'no-config.json'),
    ...overrides,
  });
  const doctor = async (args: string[], env = envOf()) => outpost(['doctor', ...args], env);
  const report = async (args: string[], env = envOf()) => {
    const result = await doctor([...args, '--json'], env);
    return { code: result.code, report: JSON.parse(result.stdout) as DoctorReport };
  };
  const check = (found: DoctorReport, kind: string, subject: string) => found.checks.find((one) => one.kind === kind && one.subject === subject);

  beforeAll(async () => {
    workers = await startFakeWorkers(2, 'claude');
    platform = await startMotoPlatform({ workerPort: workers.port });
    const claudeImage = `${await ecrRepositoryWithImage('outpost-claude', 'c0ffee')}:c0ffee`;
    const codexImage = `${await ecrRepositoryWithImage('outpost-codex', 'older')}:c0ffee`;
    // As CloudFormation creates the platform's secrets: a generated placeholder; the operator then puts claude's key.
    arns.anthropic = (await secrets.send(new CreateSecretCommand({ Name: 'outpost-anthropic', SecretString: 'placeholder' }))).ARN!;
    await secrets.send(new PutSecretValueCommand({ SecretId: arns.anthropic, SecretString: 'sk-ant-key' }));
    arns.openai = (await secrets.send(new CreateSecretCommand({ Name: 'outpost-openai', SecretString: 'placeholder' }))).ARN!;
    const agent = (taskDefinitionArn: string, arn: string) => ({
      taskDefinitionArn,
      logGroupName: 'outpost-claude',
      defaultModel: 'claude-sonnet-4-5',
      models: { flagship: 'claude-opus-4-1', balanced: 'claude-sonnet-4-5', fast: 'claude-haiku-4-5' },
      providerSecret: { arn, createdWithPlaceholder: true },
    });
    config = {
      ...platform.config,
      agents: {
        claude: agent(await agentTaskDefinition('outpost-claude', claudeImage), arns.anthropic),
        codex: agent(await agentTaskDefinition('outpost-codex', codexImage), arns.openai),
      },
    };
    api = await startLocalApi({
      callers: { alice: { arn: ALICE, grant: 'grantDispatch' }, carol: { arn: READER, grant: 'grantRead' } },
      environment: { ...platform.apiEnvironment(), OUTPOST_CONFIG: JSON.stringify(config) },
      afterEachRequest: () => platform.deliverColdStarts(config),
    });
  });
  afterAll(async () => {
    await api?.stop();
    await platform?.stop();
    await workers?.close();
  });
  afterEach(() => expect(api.handlerErrors).toEqual([]));

  test('an agent set up as a run needs it: every check ✓, exit 0', async () => {
    const result = await doctor(['--agents', 'claude', '--no-canary']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^Outpost doctor: ${api.endpoint}$`, 'm'));
    expect(result.stdout).toMatch(/^✓ +endpoint +http:\/\/127\.0\.0\.1:\d+\/ +signed GET \/health answered: ok/m);
    expect(result.stdout).toMatch(/^✓ +task-definition +claude +arn:aws:ecs:\S+outpost-claude:\d+: ACTIVE$/m);
    expect(result.stdout).toMatch(/^✓ +image +claude +123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/outpost-claude:c0ffee$/m);
    expect(result.stdout).toMatch(new RegExp(`^✓ +secret +${arns.anthropic} +${arns.anthropic} \\(claude\\): holds a key \\(2 versions\\)$`, 'm'));
    expect(result.stdout).toMatch(/^✓ +rotation +\S+ +no rotation pending$/m);
    expect(result.stdout).toMatch(/^- +canary +claude +not run \(--no-canary\)$/m);
    expect(result.stdout).not.toContain('To fix:');
    expect(result.stdout.trim().split('\n').pop()).toBe('All checks passed.');
  });

  test('--json: the typed report, the same checks', async () => {
    const { code, report: found } = await report(['--agents', 'claude', '--no-canary']);
    expect(code).toBe(0);
    expect(found).toEqual({
      ok: true,
      endpoint: api.endpoint,
      checks: [
        { kind: 'endpoint', subject: api.endpoint, status: 'pass', detail: expect.stringContaining('signed GET /health answered: ok') },
        { kind: 'task-definition', subject: 'claude', status: 'pass', detail: expect.stringContaining('ACTIVE') },
        { kind: 'image', subject: 'claude', status: 'pass', detail: expect.stringContaining('outpost-claude:c0ffee') },
        { kind: 'secret', subject: arns.anthropic, status: 'pass', detail: expect.stringContaining('holds a key') },
        { kind: 'rotation', subject: arns.anthropic, status: 'pass', detail: 'no rotation pending' },
        { kind: 'canary', subject: 'claude', status: 'skip', detail: 'not run (--no-canary)' },
      ],
    });
  });

  test('an image never pushed and a secret still the placeholder: ✗ with the fix for each, the canary not run, exit 1', async () => {
    const result = await doctor(['--agents', 'codex']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✗ +image +codex +\S+outpost-codex:c0ffee: not in the repository$/m);
    expect(result.stdout).toMatch(/^✗ +secret +\S+outpost-openai\S+ +\S+ \(codex\): no key put yet \(1 version: only the placeholder the platform created\)$/m);
    expect(result.stdout).toMatch(/^- +canary +codex +not run: its image check failed$/m);
    expect(result.stdout).toContain('To fix:');
    expect(result.stdout).toContain(`✗ secret ${arns.openai}: aws secretsmanager put-secret-value --secret-id ${arns.openai} --secret-string <the provider's API key>`);
    expect(result.stdout).toMatch(/^✗ image codex: the image build has not pushed this tag/m);
    expect(result.stdout.trim().split('\n').pop()).toBe('2 checks failed.');
  });

  test('a rotation left pending: ✗ with the commands that clear it; ✓ once cleared', async () => {
    const { VersionId } = await secrets.send(new PutSecretValueCommand({ SecretId: arns.anthropic, SecretString: 'sk-wrong', VersionStages: ['AWSPENDING'] }));
    const pending = await report(['--agents', 'claude', '--no-canary']);
    expect(pending.code).toBe(1);
    expect(check(pending.report, 'rotation', arns.anthropic)).toEqual({
      kind: 'rotation',
      subject: arns.anthropic,
      status: 'fail',
      detail: `version ${VersionId} is staged AWSPENDING: a rotation was left pending`,
      fix: `aws secretsmanager update-secret-version-stage --secret-id ${arns.anthropic} --version-stage AWSPENDING --remove-from-version-id ${VersionId}`,
    });
    // The fix, run as printed.
    await secrets.send(new UpdateSecretVersionStageCommand({ SecretId: arns.anthropic, VersionStage: 'AWSPENDING', RemoveFromVersionId: VersionId }));
    expect((await report(['--agents', 'claude', '--no-canary'])).code).toBe(0);
  });

  test('the canary: a dispatch without a repository, pushed to a worker with none, COMPLETED within --timeout', async () => {
    const since = new Date().toISOString();
    const running = startOutpost(['doctor', '--agents', 'claude', '--timeout', '60', '--poll-interval', '50', '--json'], envOf());
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    let dispatch: Record<string, any> | undefined;
    while (!dispatch) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { Items = [] } = await documents.send(new ScanCommand({ TableName: platform.tables.dispatches }));
      dispatch = Items.find((item) => item.status === 'STARTING' && item.createdAt >= since && typeof item.taskArn === 'string');
    }
    const taskArn = String(dispatch.taskArn);
    const worker = workers.workers[0];
    worker.token = await platform.workerToken(taskArn.split('/').pop()!);
    await platform.handler('task-ready', config)(runningTaskEvent(`outpost/${dispatch.id}`, { taskArn, privateIp: worker.privateIp }));
    expect(worker.assignment).toMatchObject({ dispatchId: dispatch.id, agent: 'claude' });
    expect(worker.assignment!.repository).toBeUndefined();
    const result = workerResult(dispatch.id, { cancelled: false, agent: { exitCode: 0, timedOut: false }, platformErrors: [] }, {
      commit: null, branch: null, tokenUsage: { input: 10, cached: 0, cacheWrite: 0, output: 1 },
    });
    await new S3Client({ forcePathStyle: true }).send(new PutObjectCommand({
      Bucket: config.artifactsBucket, Key: `artifacts/${dispatch.id}/result.json`, Body: workerDocument(result),
    }));
    await platform.handler('task-stopped', config)(taskEvent({
      lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', containers: [{ name: 'agent', exitCode: 0 }], startedBy: `outpost/${dispatch.id}`,
    }, { taskArn }));
    const finished = await running.finished;
    expect(finished.code).toBe(0);
    expect(check(JSON.parse(finished.stdout), 'canary', 'claude')).toEqual({
      kind: 'canary', subject: 'claude', status: 'pass', detail: expect.stringMatching(new RegExp(`^${dispatch.id} COMPLETED in \\d+ s$`)),
    });
  }, 90_000);

  test('a canary that does not end within --timeout: ✗, and it is cancelled', async () => {
    const { code, report: found } = await report(['--agents', 'claude', '--timeout', '10', '--poll-interval', '200']);
    expect(code).toBe(1);
    const canary = check(found, 'canary', 'claude');
    expect(canary).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^(\w+) still STARTING after 1\d s \(cancelled\)$/) });
    expect(canary!.fix).toContain('try --timeout 300');
    const id = canary!.detail.split(' ')[0];
    expect(JSON.parse((await outpost(['status', id, '--json'], envOf())).stdout)).toMatchObject({ status: 'CANCELLED' });
  });

  test('a reader may check everything but the canary, which needs grantDispatch', async () => {
    const { code, report: found } = await report(['--agents', 'claude'], envOf('carol'));
    expect(code).toBe(1);
    expect(check(found, 'endpoint', api.endpoint)).toMatchObject({ status: 'pass' });
    expect(check(found, 'canary', 'claude')).toMatchObject({
      status: 'fail', fix: expect.stringContaining('the caller may not call POST /dispatch: it needs the platform\'s grantDispatch'),
    });
  });

  test('a signature the API refuses, and an endpoint that does not answer: ✗ endpoint with its fix, nothing else checked', async () => {
    const refused = await report([], envOf('alice', { AWS_SECRET_ACCESS_KEY: 'not-the-key' }));
    expect(refused.code).toBe(1);
    expect(refused.report.checks).toEqual([
      expect.objectContaining({ kind: 'endpoint', status: 'fail', detail: 'HTTP 403 Forbidden', fix: expect.stringContaining('or the request was signed with other credentials, or for another Region') }),
      expect.objectContaining({ kind: 'readiness', status: 'skip' }),
    ]);
    const unreachable = await report(['--timeout-seconds', '5'], envOf('alice', { OUTPOST_ENDPOINT: 'http://127.0.0.1:9/' }));
    expect(unreachable.code).toBe(1);
    expect(unreachable.report.checks[0]).toMatchObject({ kind: 'endpoint', status: 'fail', detail: expect.stringMatching(/^unreachable: no answer from/), fix: expect.stringContaining('reachable from here') });
  });

  test('--agents naming an agent the platform does not run is a usage error: exit 2', async () => {
    expect(await doctor(['--agents', 'claude,grok', '--no-canary'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--agents names grok, which this platform does not run: it runs claude, codex') });
    // A name that is no agent at all is refused before any API call, as commander refuses a bad argument.
    expect(await doctor(['--agents', 'claude,clod'], envOf('alice', { OUTPOST_ENDPOINT: 'http://127.0.0.1:9/' }))).toMatchObject({
      code: 2, stderr: expect.stringContaining('expected agent names, comma-separated, among claude, codex, gemini, aider, grok; got clod'),
    });
  });
});
