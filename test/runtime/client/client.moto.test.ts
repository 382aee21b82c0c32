import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { OutpostAdminClient, OutpostApiError, OutpostClient, type DispatchInput } from '../../../runtime/client';
import type { OutpostClientOptions } from '../../../runtime/client/options';
import { startLocalApi, type LocalApi } from '../../support/local-api';
import { startMotoPlatform, type MotoPlatform } from '../../support/moto-platform';
import { runLogWriter, type RunLogWriter } from '../../support/run-logs';
import { workerDocument, workerResult } from '../artifacts/worker-result';
import { ALICE } from '../dispatch/support/dispatches';

const BOB = 'arn:aws:sts::123456789012:assumed-role/Dev/bob';
const CAROL = 'arn:aws:sts::123456789012:assumed-role/Readers/carol';
const ADMIN = 'arn:aws:sts::123456789012:assumed-role/Admin/dana';
const REQUEST: DispatchInput = { agent: 'claude', prompt: 'fix the failing test in parser.ts', repository: { url: 'https://github.com/org/repo.git' } };

/** An error the promise must reject with: an OutpostApiError with these fields. */
async function apiError(promise: Promise<unknown>): Promise<OutpostApiError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(OutpostApiError);
  return error as OutpostApiError;
}

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) {
    items.push(item);
  }
  return items;
}

/**
 * OutpostClient against the real handlers behind a local API Gateway (test/support/local-api.ts) that checks
 * every signature and each caller's grant, on the platform's resources in moto.
 */
describe('OutpostClient through the API (local API Gateway, real handlers, moto)', () => {
  let platform: MotoPlatform;
  let api: LocalApi;
  let writeRunLogs: RunLogWriter;

  const options = (caller: string, overrides: Partial<OutpostClientOptions> = {}): OutpostClientOptions => ({
    endpoint: api.endpoint, region: api.region, credentials: api.credentials(caller), backoff: { baseMs: 1, capMs: 1 }, ...overrides,
  });
  const clientOf = (caller: string, overrides: Partial<OutpostClientOptions> = {}) => new OutpostClient(options(caller, overrides));

  beforeAll(async () => {
    platform = await startMotoPlatform();
    api = await startLocalApi({
      callers: {
        alice: { arn: ALICE, grant: 'grantDispatch' },
        bob: { arn: BOB, grant: 'grantDispatch' },
        carol: { arn: CAROL, grant: 'grantRead' },
        admin: { arn: ADMIN, grant: 'grantAdmin' },
      },
      environment: platform.apiEnvironment(),
      afterEachRequest: () => platform.deliverColdStarts(),
    });
    await new CloudWatchLogsClient({}).send(new CreateLogGroupCommand({ logGroupName: platform.config.agents.claude.logGroupName }));
    writeRunLogs = runLogWriter(platform);
  });
  afterAll(async () => {
    await api?.stop();
    await platform?.stop();
  });
  afterEach(() => expect(api.handlerErrors).toEqual([]));

  test('dispatch, read, list, logs, cancel and artifacts, as the owner', async () => {
    const alice = clientOf('alice');
    const dispatched = await alice.dispatch(REQUEST);
    // No idle worker: QUEUED, for the starter, which started a task for it by the next request.
    expect(dispatched).toMatchObject({ id: expect.stringMatching(/^[0-9A-Z]{26}$/), status: 'QUEUED', agent: 'claude', model: 'claude-sonnet-4-5' });
    const { id } = dispatched;

    expect(await alice.getDispatch(id)).toMatchObject({ id, status: 'STARTING', promptPreview: REQUEST.prompt });
    expect((await alice.listDispatches()).items.map((item) => item.id)).toContain(id);

    expect(await alice.getLogs(id)).toMatchObject({ status: 'STARTING', lines: [] });
    await writeRunLogs(id, 'cloning', 'running claude');
    const first = await alice.getLogs(id);
    expect(first.lines.map((line) => line.message)).toEqual(['cloning', 'running claude']);
    await writeRunLogs(id, 'pushing');
    const next = await alice.getLogs(id, { cursor: first.cursor! });
    expect(next.lines.map((line) => line.message)).toEqual(['pushing']);

    expect(await alice.cancel(id)).toMatchObject({ id, status: 'CANCELLED' });
    expect(await alice.cancel(id)).toMatchObject({ id, status: 'CANCELLED' });
    expect((await collect(alice.followLogs(id, { pollIntervalMs: 10 }))).map((line) => line.message)).toEqual(['cloning', 'running claude', 'pushing']);

    const s3 = new S3Client({ forcePathStyle: true });
    const result = workerResult(id, { cancelled: true, agent: undefined, platformErrors: [] }, { commit: null, branch: null, tokenUsage: null });
    await s3.send(new PutObjectCommand({ Bucket: platform.config.artifactsBucket, Key: `artifacts/${id}/transcript.log`, Body: 'the transcript' }));
    await s3.send(new PutObjectCommand({ Bucket: platform.config.artifactsBucket, Key: `artifacts/${id}/result.json`, Body: workerDocument(result) }));
    const artifacts = await alice.getArtifacts(id);
    expect(artifacts).toMatchObject({ dispatchId: id, status: 'CANCELLED', result: { dispatchId: id, status: 'cancelled' } });
    expect(artifacts.artifacts.map((artifact) => artifact.name).sort()).toEqual(['result.json', 'transcript.log']);
    const transcript = artifacts.artifacts.find((artifact) => artifact.name === 'transcript.log')!;
    expect(await (await fetch(transcript.url)).text()).toBe('the transcript');
  });

  test('followLogs follows a live run: lines as they come, until the dispatch is final', async () => {
    const alice = clientOf('alice');
    const { id } = await alice.dispatch(REQUEST);
    const following = collect(alice.followLogs(id, { pollIntervalMs: 20 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await writeRunLogs(id, 'one', 'two');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await writeRunLogs(id, 'three');
    await alice.cancel(id);
    expect((await following).map((line) => line.message)).toEqual(['one', 'two', 'three']);
  });

  test('lists page by page, newest first; allDispatches walks every page; an admin lists anyone\'s', async () => {
    const bob = clientOf('bob');
    const ids: string[] = [];
    for (const prompt of ['first', 'second', 'third']) {
      ids.push((await bob.dispatch({ agent: 'claude', prompt })).id);
    }
    const newestFirst = [...ids].reverse();

    const page1 = await bob.listDispatches({ limit: 2 });
    expect(page1.items.map((item) => item.id)).toEqual(newestFirst.slice(0, 2));
    expect(page1.cursor).toEqual(expect.any(String));
    const page2 = await bob.listDispatches({ limit: 2, cursor: page1.cursor! });
    expect(page2).toMatchObject({ items: [expect.objectContaining({ id: newestFirst[2] })], cursor: null });
    expect((await collect(bob.allDispatches({ limit: 2 }))).map((item) => item.id)).toEqual(newestFirst);

    const admin = new OutpostAdminClient(options('admin'));
    expect((await collect(admin.allDispatches(BOB, { limit: 1 }))).map((item) => item.id)).toEqual(newestFirst);
    expect((await admin.getDispatch(ids[0])).promptPreview).toBe('first');
    expect(await admin.cancel(ids[0])).toMatchObject({ id: ids[0], status: 'CANCELLED' });
  });

  test('who may call what follows the grants: /admin only for grantAdmin, no dispatching with grantRead', async () => {
    const asAlice = new OutpostAdminClient(options('alice'));
    expect(await apiError(asAlice.listDispatches(BOB))).toMatchObject({ status: 403, code: 'Forbidden', message: 'Forbidden' });
    const carol = clientOf('carol');
    expect(await carol.listDispatches()).toEqual({ items: [], cursor: null });
    expect(await apiError(carol.dispatch(REQUEST))).toMatchObject({ status: 403, code: 'Forbidden' });
  });

  test('error answers become OutpostApiError with the API\'s status, code, message and field', async () => {
    const alice = clientOf('alice');
    expect(await apiError(alice.dispatch({ ...REQUEST, timeoutSeconds: 5 }))).toMatchObject({
      status: 400, code: 'InvalidField', field: 'timeoutSeconds', message: 'timeoutSeconds must be at least 60', requestId: expect.any(String),
    });
    expect(await apiError(alice.dispatch({ ...REQUEST, agent: 'grok' }))).toMatchObject({ status: 422, code: 'AgentNotDeployed', field: 'agent' });
    const { id } = await alice.dispatch(REQUEST);
    expect(await apiError(clientOf('bob').getDispatch(id))).toMatchObject({ status: 404, code: 'NotFound', field: 'id' });
    expect(await apiError(clientOf('bob').cancel(id))).toMatchObject({ status: 404, code: 'NotFound' });
    expect(await apiError(alice.listDispatches({ limit: 0 }))).toMatchObject({ status: 400, code: 'InvalidParameter', field: 'limit' });
  });

  test('a wrong secret or an unknown key is refused with 403, as API Gateway refuses it', async () => {
    const { accessKeyId } = api.credentials('alice');
    const wrongSecret = clientOf('alice', { credentials: { accessKeyId, secretAccessKey: 'not-the-secret' } });
    expect(await apiError(wrongSecret.listDispatches())).toMatchObject({ status: 403, code: 'Forbidden', message: 'Forbidden' });
    const unknownKey = clientOf('alice', { credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: api.credentials('alice').secretAccessKey } });
    expect(await apiError(unknownKey.listDispatches())).toMatchObject({ status: 403 });
    const otherRegion = clientOf('alice', { region: 'eu-west-1' });
    expect(await apiError(otherRegion.listDispatches())).toMatchObject({ status: 403 });
  });

  test('maxCostUsd goes in the body and comes back in the view; a bad one is an OutpostApiError naming the field', async () => {
    const alice = clientOf('alice');
    const limited = await alice.dispatch({ ...REQUEST, maxCostUsd: 1.25 });
    expect(limited.maxCostUsd).toBe(1.25);
    expect((await alice.getDispatch(limited.id)).maxCostUsd).toBe(1.25);
    await expect(alice.dispatch({ ...REQUEST, maxCostUsd: -1 })).rejects.toMatchObject({ status: 400, code: 'InvalidField', field: 'maxCostUsd' });
  });

  test('the same idempotency key from the same caller gives the same dispatch; calls without one are distinct', async () => {
    const alice = clientOf('alice');
    const keyed = { ...REQUEST, idempotencyKey: 'ticket-42' };
    const first = await alice.dispatch(keyed);
    expect((await alice.dispatch(keyed)).id).toBe(first.id);
    expect((await clientOf('bob').dispatch(keyed)).id).not.toBe(first.id);
    const [a, b] = [await alice.dispatch(REQUEST), await alice.dispatch(REQUEST)];
    expect(a.id).not.toBe(b.id);
  });

  test('health and fleet health answer through the API', async () => {
    expect(await clientOf('carol').health()).toMatchObject({ status: 'ok', checks: { dispatchesTable: { healthy: true } } });
    const fleet = await clientOf('carol').fleetHealth();
    expect(Object.keys(fleet.agents)).toEqual(['claude']);
    const oldestQueuedAgeSeconds = fleet.agents.claude?.queued ? expect.any(Number) : null;
    const counted = { busy: expect.any(Number), queued: expect.any(Number) };
    expect(fleet.agents.claude).toEqual({ idle: 0, starting: 0, draining: 0, ...counted, oldestQueuedAgeSeconds });
  });

  describe('a request changed after it was signed is refused', () => {
    /** A fetch that alters the signed request before sending it. */
    const tampering = (alter: (url: URL, init: RequestInit) => [URL, RequestInit]): typeof fetch =>
      (input, init) => fetch(...alter(new URL(String(input)), { ...init }));

    test('as sent, untouched, it passes', async () => {
      const passThrough = clientOf('bob', { fetch: tampering((url, init) => [url, init]) });
      expect((await passThrough.listDispatches({ limit: 1 })).items).toHaveLength(1);
    });

    test('another body: refused, and nothing is created', async () => {
      const alice = clientOf('alice', { fetch: tampering((url, init) => [url, { ...init, body: String(init.body).replace('parser.ts', 'lexer.ts') }]) });
      const count = (await clientOf('alice').listDispatches({ limit: 100 })).items.length;
      expect(await apiError(alice.dispatch(REQUEST))).toMatchObject({ status: 403, code: 'Forbidden' });
      expect((await clientOf('alice').listDispatches({ limit: 100 })).items).toHaveLength(count);
    });

    test('another query, another path, another date', async () => {
      const query = clientOf('bob', { fetch: tampering((url, init) => [new URL(url.href.replace('limit=1', 'limit=2')), init]) });
      expect(await apiError(query.listDispatches({ limit: 1 }))).toMatchObject({ status: 403 });
      const bob = clientOf('bob');
      const [mine] = (await bob.listDispatches({ limit: 1 })).items;
      const redirected = clientOf('bob', { fetch: tampering((url, init) => [new URL(`${url.href}/logs`), init]) });
      expect(await apiError(redirected.getDispatch(mine.id))).toMatchObject({ status: 403 });
      const later = clientOf('bob', {
        fetch: tampering((url, init) => {
          const headers = new Headers(init.headers);
          headers.set('x-amz-date', headers.get('x-amz-date')!.replace(/(\d\d)Z$/, (_whole, seconds) => (seconds === '00' ? '01Z' : '00Z')));
          return [url, { ...init, headers }];
        }),
      });
      expect(await apiError(later.getDispatch(mine.id))).toMatchObject({ status: 403 });
    });

    test('no signature at all', async () => {
      const response = await fetch(`${api.endpoint}dispatch`);
      expect({ status: response.status, body: await response.json() }).toEqual({ status: 403, body: { message: 'Forbidden' } });
    });
  });
});
