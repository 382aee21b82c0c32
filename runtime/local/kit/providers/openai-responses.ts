import * as http from 'http';
import { responsesModelUsage, type ResponsesUsage } from './responses-usage';
import { jsonBodyServer, serveStandIn, type ProviderFailure, type ProviderStandIn } from './stand-in';
import type { ModelUsage } from '../../../contracts/token-usage';
import { usageByModel } from '../../../worker/agents/usage';

/**
 * A stand-in for the OpenAI Responses API on 127.0.0.1, built from its reference
 * (platform.openai.com/docs/api-reference/responses/create, …/responses-streaming for the SSE events,
 * …/docs/guides/error-codes for the error bodies and statuses) and from what Codex sends and parses
 * (openai/codex `codex-rs/codex-api/src/sse/responses.rs`: `response.created`, `response.output_item.added`
 * / `.done`, `response.output_text.delta`, `response.custom_tool_call_input.delta`, `response.completed`
 * with `usage: { input_tokens, input_tokens_details.cached_tokens, output_tokens,
 * output_tokens_details.reasoning_tokens, total_tokens }`).
 *
 * It speaks HTTP with SSE only. Codex 0.171's catalog models prefer the Responses WebSocket; to the
 * handshake (`GET /v1/responses`, `Upgrade: websocket`) it answers 426 Upgrade Required, which Codex takes
 * as "this server has no WebSocket" and falls back to HTTPS at once (its stderr: "Falling back from
 * WebSockets to HTTPS transport"), instead of 5 reconnects on any other status.
 */

export interface OpenAiResponsesStandInOptions {
  readonly apiKey: string;
  /** The file the scripted agent writes, relative to the working directory, and what it writes. */
  readonly edit: { readonly file: string; readonly content: string };
  /** Every Responses request fails so. */
  readonly failure?: ProviderFailure;
  /** The model id it reports serving for a requested id. @default the requested id */
  readonly servedModel?: (requested: string) => string;
}

/** Status, `error.type`, `error.code` and message per failure, as OpenAI's error-codes guide lists them. */
const FAILURES: Record<ProviderFailure, { status: number; type: string; code: string | null; message: (modelOrKey: string) => string }> = {
  'unauthorized': {
    status: 401,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: (key) => `Incorrect API key provided: ${masked(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
  },
  'throttled': {
    status: 429,
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: (model) => `Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1 (stand-in).`,
  },
  'server-error': {
    status: 500,
    type: 'server_error',
    code: null,
    message: () => 'The server had an error while processing your request. Sorry about that! (stand-in)',
  },
  // OpenAI answers a retired model with model_not_found; 410 is the status the conformance suite asks every
  // stand-in to use for "gone", with OpenAI's body for it.
  'gone': {
    status: 410,
    type: 'invalid_request_error',
    code: 'model_not_found',
    message: (model) => `The model \`${model}\` has been deprecated and is no longer available (stand-in).`,
  },
};

type Usage = ResponsesUsage;

type OutputItem = Record<string, unknown> & { readonly type: 'message' | 'custom_tool_call'; readonly id: string };

export async function startOpenAiResponsesStandIn(options: OpenAiResponsesStandInOptions): Promise<ProviderStandIn> {
  const requests: Array<{ path: string; model?: string; body: unknown }> = [];
  const reported: ModelUsage[] = [];
  let responses = 0;

  /** Distinct, non-round figures per response, so that a sum, a swap or a double count shows. */
  function nextUsage(): Usage {
    const n = responses++;
    const input = 5113 + 211 * n;
    const output = 97 + 23 * n;
    return {
      input_tokens: input,
      input_tokens_details: { cached_tokens: 3079 + 157 * n },
      output_tokens: output,
      output_tokens_details: { reasoning_tokens: 41 + 7 * n },
      total_tokens: input + output,
    };
  }

  const server = jsonBodyServer((request, response, body) => {
    const pathname = new URL(request.url ?? '/', 'http://stand-in').pathname;
    requests.push({ path: `${request.method} ${pathname}`, model: typeof body?.model === 'string' ? body.model : undefined, body });
    answer(request, response, pathname, body);
  });

  function answer(request: http.IncomingMessage, response: http.ServerResponse, pathname: string, body: any): void {
    // Every response carries a request id (API reference, "Debugging requests").
    response.setHeader('x-request-id', `req_standin${String(requests.length).padStart(6, '0')}`);
    const key = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (key !== options.apiKey || options.failure === 'unauthorized') {
      const { status, type, code, message } = FAILURES.unauthorized;
      return error(response, status, type, code, message(key));
    }
    if (request.method === 'GET' && pathname === '/v1/responses' && /websocket/i.test(String(request.headers.upgrade))) {
      return error(response, 426, 'invalid_request_error', null, 'This stand-in serves the Responses API over HTTP (SSE) only.');
    }
    if (request.method !== 'POST' || pathname !== '/v1/responses') {
      return error(response, 404, 'invalid_request_error', null, `Invalid URL (${request.method} ${pathname})`);
    }
    const requested = String(body?.model ?? '');
    if (options.failure) {
      const failure = FAILURES[options.failure];
      if (options.failure === 'throttled') {
        // A short wait keeps the CLI's retries quick; it still retries as often as it would.
        response.setHeader('retry-after-ms', '10');
        response.setHeader('retry-after', '0');
      }
      return error(response, failure.status, failure.type, failure.code, failure.message(requested));
    }
    let item: OutputItem;
    try {
      item = reply(body, options.edit, responses);
    } catch (cause) {
      return error(response, 400, 'invalid_request_error', null, `stand-in: ${(cause as Error).message}`);
    }
    const model = options.servedModel?.(requested) ?? requested;
    const usage = nextUsage();
    reported.push(responsesModelUsage(model, usage));
    stream(response, { id: `resp_standin${String(responses).padStart(6, '0')}`, model, item, usage });
  }

  return serveStandIn(server, { requests, reportedUsage: () => usageByModel(reported) ?? [] });
}

/**
 * The scripted answer: first a call of the tool Codex offers for editing files, adding `edit.file` with an
 * apply_patch "Add File" patch (codex-rs/apply-patch's grammar); once that call's output came back, a final
 * message. Codex offers apply_patch either itself (a freeform `custom` tool) or, for the catalog's
 * `tool_mode: "code_mode_only"` models, only inside the `exec` tool, whose JavaScript calls
 * `tools.apply_patch(patch)` (its description: "declare const tools: { apply_patch(input: string) … }").
 * Tools come in `tools`, or, for `use_responses_lite` models, in an `additional_tools` input item,
 * grouped in namespaces.
 */
function reply(body: any, edit: { file: string; content: string }, index: number): OutputItem {
  const input: any[] = Array.isArray(body?.input) ? body.input : [];
  if (input.some((entry) => entry?.type === 'custom_tool_call_output' && String(entry.call_id).startsWith('call_standin'))) {
    return finalMessage(`msg_standin${index}`, `Added ${edit.file}.`);
  }
  const additional = input.filter((entry) => entry?.type === 'additional_tools').flatMap((entry) => entry.tools ?? []);
  const tools = offeredTools([...(Array.isArray(body?.tools) ? body.tools : []), ...additional]);
  const lines = edit.content.replace(/\n$/, '').split('\n').map((line) => `+${line}`).join('\n');
  const patch = `*** Begin Patch\n*** Add File: ${edit.file}\n${lines}\n*** End Patch\n`;
  const call = (name: string, toolInput: string): OutputItem => ({
    type: 'custom_tool_call', id: `ctc_standin${index}`, call_id: `call_standin${index}`, name, input: toolInput, status: 'completed',
  });
  if (tools.some((tool) => tool.type === 'custom' && tool.name === 'apply_patch')) {
    return call('apply_patch', patch);
  }
  if (tools.some((tool) => tool.type === 'custom' && tool.name === 'exec' && String(tool.description).includes('apply_patch('))) {
    return call('exec', `await tools.apply_patch(${JSON.stringify(patch)});\n`);
  }
  throw new Error(`no apply_patch among the offered tools (${tools.map((tool) => `${tool.type} ${tool.name}`).join(', ')})`);
}

function offeredTools(tools: any[]): Array<{ type: string; name: string; description?: string }> {
  return tools.flatMap((tool) => (tool?.type === 'namespace' && Array.isArray(tool.tools) ? offeredTools(tool.tools) : [tool]));
}

function finalMessage(id: string, text: string): OutputItem {
  return { type: 'message', id, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] };
}

/**
 * The streaming events (API reference, "Streaming events"): response.created, then per output item
 * output_item.added, its deltas (custom_tool_call_input.delta, or content_part.added / output_text.delta /
 * output_text.done / content_part.done), output_item.done, and response.completed with the usage.
 */
function stream(response: http.ServerResponse, answer: { id: string; model: string; item: OutputItem; usage: Usage }): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'openai-model': answer.model });
  let sequence = 0;
  const send = (type: string, data: Record<string, unknown>) => response.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`);
  const shell = { id: answer.id, object: 'response', created_at: 1796605283, model: answer.model, output: [] as unknown[], usage: null as Usage | null };
  const { item } = answer;
  send('response.created', { response: { ...shell, status: 'in_progress' } });
  if (item.type === 'custom_tool_call') {
    send('response.output_item.added', { output_index: 0, item: { ...item, input: '', status: 'in_progress' } });
    send('response.custom_tool_call_input.delta', { output_index: 0, item_id: item.id, delta: item.input });
    send('response.custom_tool_call_input.done', { output_index: 0, item_id: item.id, input: item.input });
  } else {
    const text = (item.content as Array<{ text: string }>)[0].text;
    const part = { type: 'output_text', text: '', annotations: [] };
    send('response.output_item.added', { output_index: 0, item: { ...item, content: [], status: 'in_progress' } });
    send('response.content_part.added', { output_index: 0, item_id: item.id, content_index: 0, part });
    send('response.output_text.delta', { output_index: 0, item_id: item.id, content_index: 0, delta: text });
    send('response.output_text.done', { output_index: 0, item_id: item.id, content_index: 0, text });
    send('response.content_part.done', { output_index: 0, item_id: item.id, content_index: 0, part: { ...part, text } });
  }
  send('response.output_item.done', { output_index: 0, item });
  send('response.completed', { response: { ...shell, status: 'completed', output: [item], usage: answer.usage } });
  response.end();
}

/** The API's echo of a wrong key: its start and its last four characters. */
function masked(key: string): string {
  return key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : '****';
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** OpenAI's error body: `{"error":{"message","type","param","code"}}`. */
function error(response: http.ServerResponse, status: number, type: string, code: string | null, message: string): void {
  json(response, status, { error: { message, type, param: null, code } });
}
