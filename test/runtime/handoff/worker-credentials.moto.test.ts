import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DispatchRepository } from '../../../runtime/adapters/dispatch-repository';
import { PoolRepository } from '../../../runtime/adapters/pool-repository';
import type { PlatformConfig } from '../../../runtime/core/config';
import type { DispatchStatus } from '../../../runtime/core/dispatch/states';
import { RENEWED_UPLOAD_SECONDS, STOPPING_GRACE_MS } from '../../../runtime/core/handoff/worker-credentials';
import { uploadFile } from '../../../runtime/worker/upload';
import { dispatchOnTask, type DispatchOnTask } from '../../support/dispatch-on-task';
import { startMotoPlatform, type MotoPlatform } from '../../support/moto-platform';
import { queued } from '../dispatch/support/dispatches';

const REPOSITORY = 'https://git.example.com/acme/app.git';
const GIT_TOKEN = 'ghp_workercredentialsfixture0123456789';

/**
 * The worker-credentials handler (runtime/handlers/worker-credentials, the service and core it wires) against
 * moto's DynamoDB, KMS, Secrets Manager and S3: what a worker with its assignment token gets, and every way a
 * request without the right proof is refused.
 */
describe('worker-credentials (moto)', () => {
  let platform: MotoPlatform;
  let config: PlatformConfig;
  let handler: (event: unknown) => Promise<any>;
  let dispatches: DispatchRepository;
  let pool: PoolRepository;
  let output: string[];

  beforeAll(async () => {
    platform = await startMotoPlatform();
    const { ARN } = await new SecretsManagerClient({}).send(new CreateSecretCommand({ Name: 'outpost/git-token', SecretString: GIT_TOKEN }));
    // The allow-list as it is now: a dispatch to another owner was recorded before it narrowed.
    config = { ...platform.config, gitCredentials: { secret: ARN!, hosts: ['git.example.com'] }, repositories: { allowed: ['git.example.com/acme/*'] } };
    handler = platform.handler('worker-credentials', config) as unknown as typeof handler;
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    dispatches = new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes);
    pool = new PoolRepository(documents, config.tables.pool);
  });
  afterAll(() => platform.stop());
  beforeEach(() => {
    output = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
      output.push(String(line));
      return true;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  /** A dispatch RUNNING (or moved on to `status` at `endedAt`) on a task whose pool item holds its sealed token. */
  async function liveRun(options: { repository?: string | null; status?: DispatchStatus; endedAt?: Date } = {}): Promise<DispatchOnTask> {
    const repository = options.repository === null ? undefined : { url: options.repository ?? REPOSITORY };
    const statuses: DispatchStatus[] = options.status && options.status !== 'RUNNING' ? ['RUNNING', options.status] : ['RUNNING'];
    return dispatchOnTask(config, queued(repository ? { repository } : {}, undefined, new Date()), statuses, options.endedAt);
  }

  const ask = (event: unknown) => handler(event);

  /** The handler's log lines, parsed. */
  const logged = () => output.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));

  test('the right token for a RUNNING dispatch: a git credential from the secret and an upload policy S3 accepts, for the dispatch\'s prefix only', async () => {
    const run = await liveRun();
    const answer = await ask({ dispatchId: run.dispatch.id, token: run.token });
    expect(answer).toEqual({
      statusCode: 200,
      credentials: {
        git: { username: 'x-access-token', token: GIT_TOKEN },
        upload: { url: config.artifactsBucketUrl, fields: expect.any(Object), keyPrefix: `artifacts/${run.dispatch.id}/` },
      },
    });
    const policy = JSON.parse(Buffer.from(answer.credentials.upload.fields.Policy, 'base64').toString('utf8'));
    const lifetime = (Date.parse(policy.expiration) - Date.now()) / 1000;
    expect(lifetime).toBeGreaterThan(RENEWED_UPLOAD_SECONDS - 60);
    expect(lifetime).toBeLessThanOrEqual(RENEWED_UPLOAD_SECONDS);
    expect(policy.conditions).toContainEqual(['starts-with', '$key', `artifacts/${run.dispatch.id}/`]);

    // S3 (moto) takes an upload through it, where the worker puts result.json.
    await uploadFile(answer.credentials.upload, 'result.json', Buffer.from('{"status":"succeeded"}'), 'application/json');
    const stored = await new S3Client({ forcePathStyle: true }).send(new GetObjectCommand({ Bucket: config.artifactsBucket, Key: `artifacts/${run.dispatch.id}/result.json` }));
    expect(await stored.Body!.transformToString()).toBe('{"status":"succeeded"}');

    expect(logged()).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'credentials renewed', dispatchId: run.dispatch.id, git: true }));
    expect(output.join('')).not.toContain(GIT_TOKEN);
    expect(output.join('')).not.toContain(run.token);
  });

  test('a dispatch without a repository gets an upload policy and no git credential', async () => {
    const run = await liveRun({ repository: null });
    const answer = await ask({ dispatchId: run.dispatch.id, token: run.token });
    expect(answer.statusCode).toBe(200);
    expect(answer.credentials.git).toBeUndefined();
    expect(answer.credentials.upload.keyPrefix).toBe(`artifacts/${run.dispatch.id}/`);
  });

  test('a dispatch cancelled moments ago may still save its work; one that timed out longer ago than the grace may not', async () => {
    const cancelled = await liveRun({ status: 'CANCELLED' });
    expect(await ask({ dispatchId: cancelled.dispatch.id, token: cancelled.token })).toMatchObject({ statusCode: 200 });
    const long = await liveRun({ status: 'TIMED_OUT', endedAt: new Date(Date.now() - STOPPING_GRACE_MS - 60_000) });
    expect(await ask({ dispatchId: long.dispatch.id, token: long.token })).toEqual({
      statusCode: 409, error: { code: 'RunOver', field: 'dispatchId', message: expect.stringContaining('ended TIMED_OUT more than 5 minutes ago') },
    });
  });

  describe('refusals: which field, why, and never a credential', () => {
    test('a wrong token', async () => {
      const run = await liveRun();
      const answer = await ask({ dispatchId: run.dispatch.id, token: `${run.token.slice(0, -1)}x` });
      expect(answer).toEqual({ statusCode: 403, error: { code: 'WrongToken', field: 'token', message: `is not the assignment token of dispatch ${run.dispatch.id}'s task` } });
      const refusal = logged().find((line) => line.message === 'credentials refused');
      expect(refusal).toMatchObject({ level: 'WARN', dispatchId: run.dispatch.id, status: 403, code: 'WrongToken', field: 'token' });
      expect(output.join('')).not.toContain(run.token.slice(0, -1));
    });

    test('another task\'s worker asking for this dispatch\'s credentials with its own (valid) token', async () => {
      const victim = await liveRun();
      const other = await liveRun();
      expect(await ask({ dispatchId: victim.dispatch.id, token: other.token })).toMatchObject({ statusCode: 403, error: { code: 'WrongToken', field: 'token' } });
    });

    test.each([
      ['STARTING (no assignment yet)', 'STARTING'],
      ['COMPLETED', 'COMPLETED'],
      ['FAILED', 'FAILED'],
    ] as const)('the right token, the dispatch %s', async (_name, status) => {
      const run = status === 'STARTING'
        ? await dispatchOnTask(config, queued({ repository: { url: REPOSITORY } }, undefined, new Date()), [])
        : await liveRun({ status });
      expect(await ask({ dispatchId: run.dispatch.id, token: run.token })).toEqual({
        statusCode: 409, error: { code: 'NotRunning', field: 'dispatchId', message: expect.stringContaining(`is ${status}`) },
      });
    });

    test('the right token after the task stopped (the pool forgot it)', async () => {
      const run = await liveRun();
      await pool.remove(run.taskId);
      expect(await ask({ dispatchId: run.dispatch.id, token: run.token })).toMatchObject({ statusCode: 403, error: { code: 'TaskGone', field: 'token' } });
    });

    test('a repository no longer allowed: the allow-list is checked again before a token is minted', async () => {
      const run = await liveRun({ repository: 'https://git.example.com/other/app.git' });
      const answer = await ask({ dispatchId: run.dispatch.id, token: run.token });
      expect(answer).toEqual({
        statusCode: 403,
        error: { code: 'GitCredentialRefused', message: expect.stringContaining('git.example.com/other/app is not among the platform\'s allowed repositories') },
      });
      expect(JSON.stringify(answer)).not.toContain(GIT_TOKEN);
    });

    test('a dispatch that does not exist, and one that has no task', async () => {
      const ghost = queued({}, undefined, new Date());
      expect(await ask({ dispatchId: ghost.id, token: 'anything' })).toMatchObject({ statusCode: 404, error: { code: 'NotFound', field: 'dispatchId' } });
      await dispatches.create(ghost);
      expect(await ask({ dispatchId: ghost.id, token: 'anything' })).toMatchObject({ statusCode: 409, error: { code: 'NoTask', field: 'dispatchId' } });
    });

    test.each([
      ['no dispatch id', { token: 'x' }, 'dispatchId'],
      ['a dispatch id that is not a ULID', { dispatchId: '../01ARZ3NDEKTSV4RRFFQ69G5FAV', token: 'x' }, 'dispatchId'],
      ['no token', { dispatchId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, 'token'],
      ['a token of 513 characters', { dispatchId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', token: 'x'.repeat(513) }, 'token'],
      ['null', null, 'dispatchId'],
    ])('a malformed request (%s): 400 naming %s', async (_name, event, field) => {
      expect(await ask(event)).toMatchObject({ statusCode: 400, error: { code: 'InvalidField', field } });
    });
  });
});
