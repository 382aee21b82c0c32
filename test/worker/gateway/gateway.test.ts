import * as net from 'net';
import { startAnthropicStandIn } from '../../../runtime/local/kit/providers/anthropic';
import { startBedrockStandIn } from '../../../runtime/local/kit/providers/bedrock';
import { startGeminiStandIn } from '../../../runtime/local/kit/providers/gemini';
import { httpsFront, type HttpsFront } from '../../../runtime/local/kit/providers/https-front';
import { startOpenAiResponsesStandIn } from '../../../runtime/local/kit/providers/openai-responses';
import type { ProviderFailure, ProviderStandIn } from '../../../runtime/local/kit/providers/stand-in';
import { startXaiResponsesStandIn } from '../../../runtime/local/kit/providers/xai-responses';
import { PLACEHOLDER_KEY } from '../../../runtime/worker/agents/gateway-route';
import { ModelGateway, type GatewayOptions } from '../../../runtime/worker/gateway/gateway';
import type { Budget } from '../../../runtime/worker/gateway/meter';

/*
 * The model gateway against the provider stand-ins, each behind TLS with a test CA (https-front.ts): the key the
 * upstream sees, what it reads from plain and streamed answers, errors, and the budget.
 */

const KEYS = { anthropic: 'sk-ant-api03-gateway-real-key-4b1d', openai: 'sk-proj-gateway-real-key-77aa', gemini: 'AIzaGatewayRealKey0c9e', xai: 'xai-gateway-real-key-5e21' };
const EDIT = { file: 'gateway.txt', content: 'through the gateway\n' };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

interface Setup {
  readonly standIn: ProviderStandIn;
  readonly front: HttpsFront;
  readonly gateway: ModelGateway;
}

async function through(provider: keyof typeof KEYS, standIn: ProviderStandIn, options: Partial<GatewayOptions> = {}): Promise<Setup> {
  cleanups.push(() => standIn.stop());
  const front = await httpsFront(standIn);
  cleanups.push(() => front.stop());
  const gateway = await ModelGateway.start({
    env: { [`${provider.toUpperCase()}_API_KEY`]: KEYS[provider], [`OUTPOST_GATEWAY_UPSTREAM_${provider.toUpperCase()}`]: front.url },
    upstreamCa: front.ca,
    ...options,
  });
  cleanups.push(() => gateway.close());
  return { standIn, front, gateway };
}

const anthropic = (options: { failure?: ProviderFailure } = {}) => startAnthropicStandIn({ apiKey: KEYS.anthropic, edit: EDIT, ...options });
const messages = (stream: boolean) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  stream,
  tools: [{ name: 'Write', input_schema: { type: 'object' } }],
  messages: [{ role: 'user', content: `Write ${EDIT.file}` }],
});

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('Anthropic through the gateway', () => {
  test('a plain answer reaches the agent unchanged, and the gateway meters what the API reported', async () => {
    const { standIn, gateway } = await through('anthropic', await anthropic());
    const answer = await post(`${gateway.url}/anthropic/v1/messages`, messages(false), { 'x-api-key': PLACEHOLDER_KEY, 'anthropic-version': '2023-06-01' });

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ type: 'message', model: 'claude-sonnet-4-5', content: [{ type: 'text' }, { type: 'tool_use', name: 'Write' }] });
    expect(gateway.meter.usage()).toEqual(standIn.reportedUsage());
    expect(standIn.requests.map((request) => request.path)).toEqual(['POST /v1/messages']);
  });

  test('a stream passes event by event, and its usage is metered from message_start and message_delta', async () => {
    const { standIn, gateway } = await through('anthropic', await anthropic());
    const first = await post(`${gateway.url}/anthropic/v1/messages`, messages(true), { 'x-api-key': PLACEHOLDER_KEY });
    const second = await post(`${gateway.url}/anthropic/v1/messages`, messages(true), { 'x-api-key': PLACEHOLDER_KEY });

    expect(first.headers.get('content-type')).toBe('text/event-stream');
    expect(first.text).toMatch(/^event: message_start\ndata: .*\n\nevent: ping\n/);
    expect(second.text).toContain('event: message_stop');
    const reported = standIn.reportedUsage();
    expect(reported[0].input).toBeGreaterThan(0);
    expect(gateway.meter.usage()).toEqual(reported);
  });

  test('the upstream sees the real key, over TLS; the agent\'s placeholder never leaves the gateway', async () => {
    const { front, gateway } = await through('anthropic', await anthropic());
    await post(`${gateway.url}/anthropic/v1/messages`, messages(false), { 'x-api-key': PLACEHOLDER_KEY, 'authorization': `Bearer ${PLACEHOLDER_KEY}` });

    const sent = front.received();
    expect(sent).toMatch(new RegExp(`^x-api-key: ${KEYS.anthropic}\\r$`, 'im'));
    expect(sent).not.toContain(PLACEHOLDER_KEY);
    expect(sent).not.toMatch(/^authorization:/im);
    expect(sent).toMatch(/^accept-encoding: identity\r$/im);
  });

  test.each<[ProviderFailure, number]>([['throttled', 429], ['server-error', 500], ['gone', 410]])('a %s error passes through unchanged: status, body and headers', async (failure, status) => {
    const { standIn, gateway } = await through('anthropic', await anthropic({ failure }));
    const direct = await post(`${standIn.url}/v1/messages`, messages(false), { 'x-api-key': KEYS.anthropic });
    const proxied = await post(`${gateway.url}/anthropic/v1/messages`, messages(false), { 'x-api-key': PLACEHOLDER_KEY });

    expect(proxied.status).toBe(status);
    expect(proxied.text).toBe(direct.text);
    expect(proxied.headers.get('retry-after')).toBe(direct.headers.get('retry-after'));
    expect(proxied.headers.get('request-id')).toMatch(/^req_standin/);
    expect(gateway.meter.usage()).toBeNull();
  });

  test('a provider the task holds no key for is refused in that provider\'s error shape, and nothing is sent', async () => {
    const { gateway } = await through('anthropic', await anthropic());
    const answer = await post(`${gateway.url}/openai/v1/responses`, { model: 'gpt-5' }, { authorization: `Bearer ${PLACEHOLDER_KEY}` });

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.text)).toEqual({ error: expect.objectContaining({ message: expect.stringContaining('OPENAI_API_KEY') }) });
  });

  test('a path outside the providers is refused', async () => {
    const { gateway } = await through('anthropic', await anthropic());
    const answer = await fetch(`${gateway.url}/latest/meta-data/`);
    expect(answer.status).toBe(404);
  });
});

describe('the other providers through the gateway', () => {
  test('OpenAI Responses, streamed: the WebSocket handshake gets 426, the SSE answer is metered', async () => {
    const { standIn, front, gateway } = await through('openai', await startOpenAiResponsesStandIn({ apiKey: KEYS.openai, edit: EDIT }));
    const handshake = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(gateway.url).port), '127.0.0.1', () => {
        socket.write('GET /openai/v1/responses HTTP/1.1\r\nhost: 127.0.0.1\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n');
      });
      let text = '';
      socket.on('data', (chunk) => { text += chunk; }).on('end', () => resolve(text)).on('error', reject);
    });
    expect(handshake).toMatch(/^HTTP\/1\.1 426 /);

    const answer = await post(`${gateway.url}/openai/v1/responses`, {
      model: 'gpt-6.2-sol', stream: true, input: [{ type: 'message', role: 'user', content: 'go' }], tools: [{ type: 'custom', name: 'apply_patch' }],
    }, { authorization: `Bearer ${PLACEHOLDER_KEY}` });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('response.completed');
    expect(gateway.meter.usage()).toEqual(standIn.reportedUsage());
    expect(front.received()).toMatch(new RegExp(`^authorization: Bearer ${KEYS.openai}\\r$`, 'im'));
    expect(front.received()).not.toContain(PLACEHOLDER_KEY);
  });

  test('Gemini streamGenerateContent: a placeholder in the key query parameter never leaves; usage from the last chunk', async () => {
    const { standIn, front, gateway } = await through('gemini', await startGeminiStandIn({ apiKey: KEYS.gemini, edit: EDIT }));
    const request = { contents: [{ role: 'user', parts: [{ text: 'go' }] }], tools: [{ functionDeclarations: [{ name: 'write_file' }] }] };
    const streamed = await post(`${gateway.url}/gemini/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse&key=${PLACEHOLDER_KEY}`, request, {});
    const plain = await post(`${gateway.url}/gemini/v1beta/models/gemini-2.5-flash:generateContent`, request, { 'x-goog-api-key': PLACEHOLDER_KEY });

    expect([streamed.status, plain.status]).toEqual([200, 200]);
    expect(standIn.requests.map((recorded) => recorded.path)).toEqual([
      '/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse', '/v1beta/models/gemini-2.5-flash:generateContent',
    ]);
    expect(gateway.meter.usage()).toEqual(standIn.reportedUsage());
    expect(gateway.meter.usage()?.map((usage) => usage.model)).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash']);
    expect(front.received()).not.toContain(PLACEHOLDER_KEY);
  });

  test('xAI Responses, streamed', async () => {
    const { standIn, gateway } = await through('xai', await startXaiResponsesStandIn({ apiKey: KEYS.xai, edit: EDIT }));
    const answer = await post(`${gateway.url}/xai/v1/responses`, { model: 'grok-code-fast-1', stream: true, input: [{ role: 'user', content: 'go' }] }, { authorization: `Bearer ${PLACEHOLDER_KEY}` });

    expect(answer.status).toBe(200);
    expect(gateway.meter.usage()).toEqual(standIn.reportedUsage());
    expect(gateway.meter.usage()).toHaveLength(1);
  });
});

describe('Claude on Bedrock through the gateway: signed with the task role', () => {
  const credentials = { accessKeyId: 'ASIAGATEWAYTASKROLE', secretAccessKey: 'gateway-task-role-secret', sessionToken: 'gateway-task-role-session' };
  const saved = { ...process.env };
  beforeEach(() => {
    // The task role's credentials as the worker finds them (task-credentials.ts reads the process's environment).
    const { accessKeyId, secretAccessKey, sessionToken } = credentials;
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken });
  });
  afterEach(() => {
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
      if (saved[name] === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = saved[name];
      }
    }
  });

  /** A Bedrock stand-in that checks signatures against `standInCredentials`, behind TLS, and a gateway signing for it. */
  async function bedrockGateway(standInCredentials = credentials) {
    const standIn = await startBedrockStandIn({ region: 'us-west-2', credentials: standInCredentials });
    cleanups.push(() => standIn.stop());
    const front = await httpsFront(standIn);
    cleanups.push(() => front.stop());
    const env = { ...process.env, CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-west-2', OUTPOST_GATEWAY_UPSTREAM_BEDROCK: front.url };
    const gateway = await ModelGateway.start({ env, upstreamCa: front.ca });
    cleanups.push(() => gateway.close());
    return { standIn, front, gateway };
  }

  test('InvokeModelWithResponseStream and InvokeModel: the stand-in verifies each SigV4 signature; usage is read from the event stream', async () => {
    const { standIn, front, gateway } = await bedrockGateway();
    const model = encodeURIComponent('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 1024, messages: [{ role: 'user', content: 'go' }] };
    const streamed = await fetch(`${gateway.url}/bedrock/model/${model}/invoke-with-response-stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bytes = Buffer.from(await streamed.arrayBuffer());
    const plain = await post(`${gateway.url}/bedrock/model/${model}/invoke`, body, {});

    expect([streamed.status, plain.status]).toEqual([200, 200]);
    expect(streamed.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    expect(bytes.readUInt32BE(0)).toBeLessThanOrEqual(bytes.length);
    expect(standIn.requests.map((request) => request.signed)).toEqual([true, true]);
    expect(standIn.requests.map((request) => request.path)).toEqual([
      'POST /model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream', 'POST /model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke',
    ]);
    expect(gateway.meter.usage()).toEqual(standIn.reportedUsage());
    expect(gateway.meter.usage()).toEqual([{ model: 'claude-sonnet-4-5-20250929', input: 1013 + 1035, output: 87 + 107, cached: 0, cacheWrite: 0 }]);
    expect(front.received()).toContain(`Credential=${credentials.accessKeyId}/`);
    expect(front.received()).toMatch(/^x-amz-security-token: gateway-task-role-session\r$/im);
  });
  test('a signature made with other credentials is refused by the stand-in, and the refusal passes through', async () => {
    const { standIn, gateway } = await bedrockGateway({ ...credentials, secretAccessKey: 'another-secret' });
    const answer = await post(`${gateway.url}/bedrock/model/anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke`, { messages: [] }, {});

    expect(answer.status).toBe(403);
    expect(answer.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(standIn.requests.map((request) => request.signed)).toEqual([false]);
  });
  test('only InvokeModel and InvokeModelWithResponseStream are signed and forwarded: ListInferenceProfiles, which Claude Code sends, is refused', async () => {
    const { standIn, gateway } = await bedrockGateway();
    const listing = await fetch(`${gateway.url}/bedrock/inference-profiles?type=SYSTEM_DEFINED`);
    const other = await post(`${gateway.url}/bedrock/guardrail/g1/version/1/apply`, { content: [] }, {});
    const getInvoke = await fetch(`${gateway.url}/bedrock/model/m/invoke`);

    expect([listing.status, other.status, getInvoke.status]).toEqual([403, 403, 403]);
    expect(listing.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(await listing.json()).toEqual({ message: 'the model gateway forwards to bedrock only the task role\'s model invocations, not GET /inference-profiles' });
    expect(standIn.requests).toEqual([]);
  });
});

describe('the budget', () => {
  // USD per million tokens: the stand-in's first answer (1013 input, 87 output, no cache) costs $0.004344.
  const budget = (maxCostUsd: number): Budget => ({ maxCostUsd, rates: { 'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 } }, fallbackRates: { input: 100, output: 100, cachedInput: 100 } });

  test('once the spend reaches maxCostUsd, the gateway says so once and answers every further request with Anthropic\'s billing error', async () => {
    const exceeded: Array<[number, number]> = [];
    const { standIn, gateway } = await through('anthropic', await anthropic(), { budget: budget(0.004), onBudgetExceeded: (spent, limit) => exceeded.push([spent, limit]) });
    const first = await post(`${gateway.url}/anthropic/v1/messages`, messages(true), { 'x-api-key': PLACEHOLDER_KEY });
    const refused = await post(`${gateway.url}/anthropic/v1/messages`, messages(true), { 'x-api-key': PLACEHOLDER_KEY });
    await post(`${gateway.url}/anthropic/v1/messages`, messages(false), { 'x-api-key': PLACEHOLDER_KEY });

    expect(first.status).toBe(200);
    expect(gateway.meter.spentUsd).toBe(0.004344);
    expect(exceeded).toEqual([[0.004344, 0.004]]);
    expect(refused.status).toBe(402);
    expect(JSON.parse(refused.text)).toEqual({ type: 'error', error: { type: 'billing_error', message: 'the run reached its budget: spent $0.004344 of maxCostUsd $0.004' } });
    expect(standIn.requests).toHaveLength(1);
  });

  test('under the limit nothing is refused, and a served model the rates lack is priced at the fallback rates', async () => {
    const { gateway } = await through('anthropic', await anthropic(), { budget: budget(1) });
    await post(`${gateway.url}/anthropic/v1/messages`, messages(false), { 'x-api-key': PLACEHOLDER_KEY });
    await post(`${gateway.url}/anthropic/v1/messages`, { ...messages(false), model: 'claude-unpriced-9' }, { 'x-api-key': PLACEHOLDER_KEY });

    // 0.004344 for the first; the second (1035 input, 107 output) at $100 per million each.
    expect(gateway.meter.spentUsd).toBe(0.004344 + 0.1142);
    expect(gateway.meter.exceeded).toBe(false);
  });
});
