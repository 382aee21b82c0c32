import { CREDENTIALS, ENDPOINT, fakeFetch, type FakeAnswer } from './fake-fetch';
import { OutpostApiError, OutpostClient, OutpostConnectionError } from '../../../runtime/client';
import type { OutpostClientOptions } from '../../../runtime/client/options';
import { signingRegion } from '../../../runtime/client/options';

const VIEW = { id: '01JD3V4N6Q8W2X5Y7Z9A1B3C4D', status: 'RUNNING', agent: 'claude', promptPreview: 'x', createdAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-01-02T03:04:05.000Z' };
const NO_WAIT = { baseMs: 0, capMs: 0 };

function client(answer: (index: number) => FakeAnswer, options: Partial<OutpostClientOptions> = {}) {
  const fake = fakeFetch((_request, index) => answer(index));
  const outpost = new OutpostClient({ endpoint: ENDPOINT, credentials: CREDENTIALS, fetch: fake.fetch, backoff: NO_WAIT, ...options });
  return { outpost, sent: fake.sent };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => {
    throw new Error('expected a rejection');
  }, (error: unknown) => error);
}

describe('signing', () => {
  test('SigV4 for execute-api in the endpoint\'s Region, over the host, date, body hash and content type', async () => {
    const { outpost, sent } = client(() => ({ status: 202, body: VIEW }));
    await outpost.dispatch({ agent: 'claude', prompt: 'x' });
    const authorization = sent[0].headers.get('authorization')!;
    expect(authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    expect(sent[0].headers.get('x-amz-date')).toMatch(/^\d{8}T\d{6}Z$/);
    expect(sent[0].headers.get('content-type')).toBe('application/json');
  });

  test('temporary credentials from a provider: the session token is sent and signed', async () => {
    const provider = jest.fn(async () => ({ ...CREDENTIALS, sessionToken: 'the-session-token' }));
    const { outpost, sent } = client(() => ({ status: 200, body: { items: [], cursor: null } }), { credentials: provider });
    await outpost.listDispatches();
    expect(provider).toHaveBeenCalled();
    expect(sent[0].headers.get('x-amz-security-token')).toBe('the-session-token');
    expect(sent[0].headers.get('authorization')).toContain('x-amz-security-token');
  });

  test('the Region comes from options, else the endpoint\'s host, else the environment; none is an error naming `region`', () => {
    expect(signingRegion({ endpoint: ENDPOINT, region: 'us-west-2' })).toBe('us-west-2');
    expect(signingRegion({ endpoint: ENDPOINT }, {})).toBe('eu-west-1');
    expect(signingRegion({ endpoint: 'https://abc.execute-api.cn-north-1.amazonaws.com.cn/' }, {})).toBe('cn-north-1');
    expect(signingRegion({ endpoint: 'https://outpost.example.com/' }, { AWS_REGION: 'ap-south-1' })).toBe('ap-south-1');
    expect(signingRegion({ endpoint: 'https://outpost.example.com/' }, { AWS_DEFAULT_REGION: 'sa-east-1' })).toBe('sa-east-1');
    expect(() => signingRegion({ endpoint: 'https://outpost.example.com/' }, {})).toThrow(/pass `region`/);
  });
});

describe('errors', () => {
  test('the API\'s error body: status, code, message, field and the request id', async () => {
    const { outpost, sent } = client(() => ({ status: 400, body: { error: { code: 'InvalidField', message: 'prompt must not be empty', field: 'prompt' } } }));
    const error = await rejection(outpost.dispatch({ agent: 'claude', prompt: '' }));
    expect(error).toBeInstanceOf(OutpostApiError);
    expect(error).toMatchObject({ name: 'OutpostApiError', status: 400, code: 'InvalidField', message: 'prompt must not be empty', field: 'prompt', requestId: 'req-1' });
    expect(sent).toHaveLength(1);
  });

  test('API Gateway\'s own answers get a code named after the status', async () => {
    const forbidden = await rejection(client(() => ({ status: 403, body: { message: 'Forbidden' } })).outpost.getDispatch('x'));
    expect(forbidden).toMatchObject({ status: 403, code: 'Forbidden', message: 'Forbidden', field: undefined });
    const teapot = await rejection(client(() => ({ status: 418 })).outpost.getDispatch('x'));
    expect(teapot).toMatchObject({ status: 418, code: 'Http418', message: 'HTTP 418' });
  });
});

describe('retries', () => {
  test.each([429, 500, 502, 503, 504])('%i is retried, and a later success is the answer', async (status) => {
    const { outpost, sent } = client((index) => (index < 2 ? { status, body: { message: 'busy' } } : { status: 200, body: VIEW }));
    expect(await outpost.getDispatch(VIEW.id)).toEqual(VIEW);
    expect(sent).toHaveLength(3);
    expect(sent.every((request) => request.headers.get('authorization')?.startsWith('AWS4-HMAC-SHA256 '))).toBe(true);
  });

  test.each([400, 401, 403, 404, 409, 413, 422])('%i is not retried', async (status) => {
    const { outpost, sent } = client(() => ({ status, body: { error: { code: 'Nope', message: 'no' } } }));
    expect(await rejection(outpost.getDispatch(VIEW.id))).toMatchObject({ status, code: 'Nope' });
    expect(sent).toHaveLength(1);
  });

  test('gives up after maxAttempts with the last error', async () => {
    const { outpost, sent } = client((index) => ({ status: 500, body: { message: `failure ${index}` } }), { maxAttempts: 3 });
    expect(await rejection(outpost.listDispatches())).toMatchObject({ status: 500, code: 'InternalServerError', message: 'failure 2' });
    expect(sent).toHaveLength(3);
  });

  test('five attempts by default', async () => {
    const { outpost, sent } = client(() => ({ status: 503 }));
    await rejection(outpost.listDispatches());
    expect(sent).toHaveLength(5);
  });

  test('network errors are retried, then thrown as OutpostConnectionError with the cause', async () => {
    const cause = new TypeError('fetch failed');
    const { outpost, sent } = client(() => cause, { maxAttempts: 2 });
    const error = await rejection(outpost.health());
    expect(error).toBeInstanceOf(OutpostConnectionError);
    expect(error).toMatchObject({ message: `no answer from ${new URL(ENDPOINT).origin}: fetch failed`, cause });
    expect(sent).toHaveLength(2);
  });

  test('an attempt that outlives timeoutMs is abandoned and retried', async () => {
    const hanging = fakeFetch((_request, index) => (index === 0 ? new Promise<FakeAnswer>(() => undefined) : { status: 200, body: VIEW }));
    const slow = (input: string | URL | Request, init?: RequestInit) => new Promise<Response>((resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      hanging.fetch(input, init).then(resolve, reject);
    });
    const outpost = new OutpostClient({ endpoint: ENDPOINT, credentials: CREDENTIALS, fetch: slow as typeof fetch, backoff: NO_WAIT, timeoutMs: 50 });
    const started = Date.now();
    expect(await outpost.getDispatch(VIEW.id)).toEqual(VIEW);
    expect(hanging.sent).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  test('totalTimeoutMs bounds the whole call: no attempt is made or retried once it has passed, and the error says it timed out', async () => {
    const hanging = fakeFetch(() => new Promise<FakeAnswer>(() => undefined));
    const slow = (input: string | URL | Request, init?: RequestInit) => new Promise<Response>((resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      hanging.fetch(input, init).then(resolve, reject);
    });
    const bounds = { timeoutMs: 60, totalTimeoutMs: 150 };
    const outpost = new OutpostClient({ endpoint: ENDPOINT, credentials: CREDENTIALS, fetch: slow as typeof fetch, backoff: NO_WAIT, ...bounds });
    const started = Date.now();
    const error = await rejection(outpost.getDispatch(VIEW.id));
    expect(error).toBeInstanceOf(OutpostConnectionError);
    expect((error as OutpostConnectionError).timedOut).toBe(true);
    // 60 ms attempts within 150 ms: the third is cut short by the whole call's bound, and no fourth is made.
    expect(hanging.sent.length).toBeLessThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test('an API error carries the route it answered, for the CLI to name the grant a 403 lacks', async () => {
    const { outpost } = client(() => ({ status: 403, body: { message: 'Forbidden' } }));
    expect(await rejection(outpost.cancel(VIEW.id))).toMatchObject({ status: 403, code: 'Forbidden', route: `DELETE /dispatch/${VIEW.id}` });
  });

  test('waits between attempts: full jitter below a ceiling that doubles from baseMs up to capMs', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    try {
      const { outpost } = client((index) => (index < 3 ? { status: 503 } : { status: 200, body: VIEW }), { backoff: { baseMs: 40, capMs: 100 } });
      const started = Date.now();
      await outpost.getDispatch(VIEW.id);
      // Ceilings 40, 80, then 100 (capped): waits of 39 + 79 + 99 ms.
      expect(Date.now() - started).toBeGreaterThanOrEqual(210);
    } finally {
      jest.restoreAllMocks();
    }
  });

  test('a dispatch keeps one idempotency key across its attempts, made up when the request has none', async () => {
    const { outpost, sent } = client((index) => (index === 0 ? { status: 502 } : { status: 202, body: VIEW }));
    await outpost.dispatch({ agent: 'claude', prompt: 'x' });
    const keys = sent.map((request) => JSON.parse(request.body!).idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);

    const again = client(() => ({ status: 202, body: VIEW }));
    await again.outpost.dispatch({ agent: 'claude', prompt: 'x' });
    expect(JSON.parse(again.sent[0].body!).idempotencyKey).not.toBe(keys[0]);
    await again.outpost.dispatch({ agent: 'claude', prompt: 'x', idempotencyKey: 'ticket-42' });
    expect(JSON.parse(again.sent[1].body!)).toEqual({ agent: 'claude', prompt: 'x', idempotencyKey: 'ticket-42' });
  });
});
