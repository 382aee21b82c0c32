import { randomUUID } from 'crypto';
import * as http from 'http';
import { responsesModelUsage, type ResponsesUsage } from './responses-usage';
import { jsonBodyServer, serveStandIn, type ProviderFailure, type ProviderStandIn } from './stand-in';
import type { ModelUsage } from '../../../contracts/token-usage';
import { usageByModel } from '../../../worker/agents/usage';

/**
 * A local stand-in of xAI's Responses API (`POST /v1/responses`, https://docs.x.ai/docs/api-reference), the
 * endpoint opencode's xAI provider calls (`@ai-sdk/xai`'s `xai.responses()`). Shapes follow the schemas the
 * client validates, `packages/xai/src/responses/xai-responses-api.ts` in vercel/ai (`xaiResponsesChunkSchema`,
 * `xaiResponsesUsageSchema`), and the stream recorded from xAI in that package's
 * `__fixtures__/xai-text-streaming.1.chunks.txt`: SSE `data:` lines of `response.created`,
 * `response.output_item.added` / `.done`, `response.output_text.delta`, and a final `response.completed` that
 * carries the usage.
 */

export interface XaiStandInOptions {
  readonly apiKey: string;
  /** The file the agent is made to write (relative to its working directory) and what it writes. */
  readonly edit: { readonly file: string; readonly content: string };
  readonly failure?: ProviderFailure;
  /** The model id it reports serving for a requested id or alias. @default the requested id */
  readonly servedModel?: (requested: string) => string;
}

type XaiUsage = ResponsesUsage;

/**
 * xAI's error body is `{ code, error }` (the `xaiErrorDataSchema` the client reads `error` from; e.g.
 * `"Incorrect API key provided: xa***st. You can obtain an API key from https://console.x.ai."`).
 */
const FAILURES: Record<ProviderFailure, { status: number; code: string; error: string; headers?: Record<string, string> }> = {
  'unauthorized': { status: 401, code: 'Client specified an invalid argument', error: 'Incorrect API key provided: xa***st. You can obtain an API key from https://console.x.ai.' },
  // A short retry-after (opencode's SessionRetry honours `retry-after`, 5 retries at most) keeps the
  // run well under a minute; without it the backoff is 2 s doubling to 30 s.
  'throttled': { status: 429, code: 'Too many requests', error: 'Rate limit exceeded for grok requests: 480 requests per minute. Slow down or raise your team limit.', headers: { 'retry-after': '1' } },
  'server-error': { status: 500, code: 'Internal error', error: 'The service encountered an internal error while processing the request (outpost stand-in).', headers: { 'retry-after': '1' } },
  'gone': { status: 410, code: 'Model deprecated', error: 'The model grok-3-mini was deprecated and is no longer served. Use grok-4.6-fast instead.' },
};

/** Known, distinct figures per response: the n-th response (from 0) of a run gets the n-th row. */
const USAGE_ROWS: ReadonlyArray<Omit<XaiUsage, 'total_tokens'>> = [
  { input_tokens: 6217, output_tokens: 143, input_tokens_details: { cached_tokens: 4096 }, output_tokens_details: { reasoning_tokens: 61 } },
  { input_tokens: 6471, output_tokens: 37, input_tokens_details: { cached_tokens: 6144 }, output_tokens_details: { reasoning_tokens: 19 } },
  { input_tokens: 389, output_tokens: 11, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
  { input_tokens: 7013, output_tokens: 29, input_tokens_details: { cached_tokens: 6400 }, output_tokens_details: { reasoning_tokens: 7 } },
];

/**
 * Starts the stand-in on 127.0.0.1. It checks `Authorization: Bearer <apiKey>` as xAI does, then scripts the
 * agent: a request that offers the `write` tool and has no tool output yet gets a `write` call of `edit`
 * (opencode's tool, with an absolute `filePath` read from the system prompt's "Working directory:" line); a
 * request that carries the tool's output gets a closing text; a request with no tools (opencode's title
 * generator) gets a short title. Every answer streams and reports usage, counted per served model.
 */
export async function startXaiResponsesStandIn(options: XaiStandInOptions): Promise<ProviderStandIn> {
  const requests: Array<{ path: string; model?: string; body: unknown }> = [];
  const reported: ModelUsage[] = [];
  const served = options.servedModel ?? ((requested: string) => requested);

  const server = jsonBodyServer((request, response, parsed) => {
    const body = isObject(parsed) ? parsed : undefined;
    const path = (request.url ?? '/').split('?')[0];
    requests.push({ path, model: typeof body?.model === 'string' ? body.model : undefined, body });

    if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(response, FAILURES.unauthorized);
    }
    if (request.method !== 'POST' || path !== '/v1/responses' || !body || typeof body.model !== 'string') {
      return sendError(response, { status: 404, code: 'Not found', error: `No route for ${request.method} ${path} in the stand-in` });
    }
    if (options.failure) {
      return sendError(response, FAILURES[options.failure]);
    }
    const model = served(body.model);
    const usage = withTotal(USAGE_ROWS[reported.length % USAGE_ROWS.length]);
    reported.push(responsesModelUsage(model, usage));
    streamResponse(response, model, answerFor(body, options.edit), usage);
  });
  return serveStandIn(server, { requests, reportedUsage: () => usageByModel(reported) ?? [] }, '/v1');
}

type Answer = { kind: 'call'; name: string; arguments: string } | { kind: 'text'; text: string };

function answerFor(body: Record<string, unknown>, edit: XaiStandInOptions['edit']): Answer {
  const tools = Array.isArray(body.tools) ? body.tools as Array<Record<string, unknown>> : [];
  const input = Array.isArray(body.input) ? body.input as Array<Record<string, unknown>> : [];
  if (tools.length === 0) {
    return { kind: 'text', text: 'Scripted file edit' };
  }
  if (input.some((item) => item.type === 'function_call_output')) {
    return { kind: 'text', text: `Wrote ${edit.file}.` };
  }
  if (!tools.some((tool) => tool.name === 'write')) {
    return { kind: 'text', text: 'The stand-in expected a `write` tool and was offered none.' };
  }
  const filePath = `${workingDirectory(input).replace(/\/$/, '')}/${edit.file}`;
  return { kind: 'call', name: 'write', arguments: JSON.stringify({ filePath, content: edit.content }) };
}

/** opencode states its working directory in the system prompt's environment block ("Working directory: /…"). */
function workingDirectory(input: ReadonlyArray<Record<string, unknown>>): string {
  for (const item of input) {
    const content = typeof item.content === 'string' ? item.content : JSON.stringify(item.content ?? '');
    const match = /Working directory: ([^\s"\\]+)/.exec(content);
    if (match) {
      return match[1];
    }
  }
  throw new Error('the request names no working directory ("Working directory: …" in its system prompt)');
}

function streamResponse(response: http.ServerResponse, model: string, answer: Answer, usage: XaiUsage): void {
  const id = randomUUID();
  const created = Math.floor(Date.now() / 1000);
  const header = { id, object: 'response', created_at: created, model };
  const item = answer.kind === 'call'
    ? { type: 'function_call', id: `fc_${id}`, call_id: `call_${id.slice(0, 8)}`, name: answer.name, arguments: answer.arguments, status: 'completed' }
    : { type: 'message', id: `msg_${id}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: answer.text, annotations: [], logprobs: [] }] };
  const events: Array<Record<string, unknown>> = [
    { type: 'response.created', response: { ...header, output: [], status: 'in_progress' } },
    { type: 'response.in_progress', response: { ...header, output: [], status: 'in_progress' } },
  ];
  if (answer.kind === 'call') {
    events.push(
      { type: 'response.output_item.added', output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } },
      { type: 'response.output_item.done', output_index: 0, item },
    );
  } else {
    const empty = { type: 'output_text', text: '', annotations: [], logprobs: [] };
    events.push(
      { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', content: [] } },
      { type: 'response.content_part.added', item_id: item.id, output_index: 0, content_index: 0, part: empty },
      ...splitText(answer.text).map((delta) => ({ type: 'response.output_text.delta', item_id: item.id, output_index: 0, content_index: 0, delta, logprobs: [] })),
      { type: 'response.output_text.done', item_id: item.id, output_index: 0, content_index: 0, text: answer.text, logprobs: [] },
      { type: 'response.content_part.done', item_id: item.id, output_index: 0, content_index: 0, part: { ...empty, text: answer.text } },
      { type: 'response.output_item.done', output_index: 0, item },
    );
  }
  events.push({ type: 'response.completed', response: { ...header, output: [item], status: 'completed', usage } });

  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  events.forEach((event, sequence) => {
    response.write(`event: ${String(event.type)}\ndata: ${JSON.stringify({ sequence_number: sequence, ...event })}\n\n`);
  });
  response.end();
}

function sendError(response: http.ServerResponse, failure: { status: number; code: string; error: string; headers?: Record<string, string> }): void {
  response.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
  response.end(JSON.stringify({ code: failure.code, error: failure.error }));
}

function withTotal(usage: Omit<XaiUsage, 'total_tokens'>): XaiUsage {
  return { ...usage, total_tokens: usage.input_tokens + usage.output_tokens };
}

/** Text in a few deltas, as a model streams it. */
function splitText(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [text];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
