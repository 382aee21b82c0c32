import * as http from 'http';
import { asksToHold, jsonBodyServer, serveStandIn, type ProviderFailure, type ProviderStandIn } from './stand-in';
import type { ModelUsage } from '../../../contracts/token-usage';
import { usageByModel } from '../../../worker/agents/usage';

/**
 * A stand-in for the Anthropic Messages API on 127.0.0.1, built from its reference
 * (docs.anthropic.com/en/api/messages, /en/api/messages-streaming, /en/api/errors, /en/api/models-list,
 * /en/api/messages-count-tokens): what Claude Code (ANTHROPIC_BASE_URL) and Aider through LiteLLM
 * (ANTHROPIC_API_BASE) call.
 */

export interface AnthropicStandInOptions {
  readonly apiKey: string;
  /** The file the scripted agent writes, relative to the working directory, and what it writes. */
  readonly edit: { readonly file: string; readonly content: string };
  /** Every Messages request fails so; the others (model list, token count) still answer. */
  readonly failure?: ProviderFailure;
  /** The model id it reports serving for a requested id or alias. @default the requested id */
  readonly servedModel?: (requested: string) => string;
  /**
   * Claude Code only: the main model hands the edit to a subagent on this model (its Agent tool's `model`,
   * `haiku` or `sonnet`), so that one run uses two models.
   */
  readonly delegateTo?: string;
}

/** Status and error body per failure, as /en/api/errors lists them (`{"type":"error","error":{type,message}}`). */
const FAILURES: Record<ProviderFailure, { status: number; type: string; message: (model: string) => string }> = {
  'unauthorized': { status: 401, type: 'authentication_error', message: () => 'invalid x-api-key' },
  'throttled': { status: 429, type: 'rate_limit_error', message: () => 'Number of request tokens has exceeded your per-minute rate limit (stand-in)' },
  'server-error': { status: 500, type: 'api_error', message: () => 'Internal server error (stand-in)' },
  // The API answers a retired model with not_found_error; 410 is the status the conformance suite asks every
  // stand-in to use for "gone", with Anthropic's body for it.
  'gone': { status: 410, type: 'not_found_error', message: (model) => `model: ${model} has been retired (stand-in)` },
};

type Usage = { input_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number; output_tokens: number };
type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** A Messages API answer: a `message` object (/en/api/messages). */
export type ScriptedMessage = {
  id: string; type: 'message'; role: 'assistant'; model: string; content: Block[]; stop_reason: string; stop_sequence: null; usage: Usage;
};

/**
 * The scripted conversation behind a Messages endpoint, shared by the stand-ins that serve Messages bodies (the
 * Anthropic API, and Bedrock's Claude models, whose bodies are the same): each answer, its usage, and what was reported.
 */
export interface ScriptedMessages {
  /** The answer to a request body, as served under `model`; its usage is recorded. */
  answer(body: unknown, model: string): ScriptedMessage;
  /** What the answers reported, summed per model id. */
  reportedUsage(): ModelUsage[];
}

/** What the script has Claude Code do beyond the edit. */
export interface ScriptOptions {
  /** The main model hands the edit to a subagent on this model (AnthropicStandInOptions.delegateTo). */
  readonly delegateTo?: string;
  /** A shell command Claude Code runs with its Bash tool before the edit; its output comes back in the next request. */
  readonly probe?: string;
}

export function scriptedMessages(edit: { readonly file: string; readonly content: string }, script: ScriptOptions = {}): ScriptedMessages {
  const reported: ModelUsage[] = [];
  let responses = 0;

  /**
   * Distinct, non-round figures per response, so that a sum, a swap or a double count shows (quadratic in
   * the response's number, so that no two sets of responses sum alike). Cache reads
   * and writes only for a request that marks a cache breakpoint (`cache_control`), as the API counts them
   * (/en/docs/build-with-claude/prompt-caching).
   */
  function nextUsage(body: unknown): Usage {
    const n = responses++;
    const caching = JSON.stringify(body ?? null).includes('"cache_control"');
    return {
      input_tokens: 1013 + 17 * n + 5 * n * n,
      cache_creation_input_tokens: caching ? 2311 + 29 * n + 11 * n * n : 0,
      cache_read_input_tokens: caching ? 4127 + 31 * n + 3 * n * n : 0,
      output_tokens: 87 + 13 * n + 7 * n * n,
    };
  }

  return {
    answer(body, model) {
      const usage = nextUsage(body);
      const cached = usage.cache_read_input_tokens;
      const cacheWrite = usage.cache_creation_input_tokens;
      // The Messages API's input_tokens excludes both cache counts (/en/docs/build-with-claude/prompt-caching).
      reported.push({ model, input: usage.input_tokens + cached + cacheWrite, output: usage.output_tokens, cached, cacheWrite });
      const content = reply(body, edit, script);
      return {
        id: `msg_standin${String(responses).padStart(6, '0')}`,
        type: 'message',
        role: 'assistant',
        model,
        content,
        stop_reason: content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        usage,
      };
    },
    reportedUsage: () => usageByModel(reported) ?? [],
  };
}

export async function startAnthropicStandIn(options: AnthropicStandInOptions): Promise<ProviderStandIn> {
  const requests: Array<{ path: string; model?: string; body: unknown }> = [];
  const script = scriptedMessages(options.edit, { delegateTo: options.delegateTo });

  const server = jsonBodyServer((request, response, body) => {
    const pathname = new URL(request.url ?? '/', 'http://stand-in').pathname;
    requests.push({ path: `${request.method} ${pathname}`, model: typeof body?.model === 'string' ? body.model : undefined, body });
    answer(request, response, pathname, body);
  });

  function answer(request: http.IncomingMessage, response: http.ServerResponse, pathname: string, body: any): void {
    // Every response carries a request id (/en/api/errors, "Request id").
    response.setHeader('request-id', `req_standin${String(requests.length).padStart(6, '0')}`);
    if (request.headers['x-api-key'] !== options.apiKey) {
      return error(response, 401, 'authentication_error', 'invalid x-api-key');
    }
    if (request.method === 'GET' && /^\/v1\/models\/?$/.test(pathname)) {
      return json(response, 200, modelList(options.servedModel?.('claude-sonnet-4-5') ?? 'claude-sonnet-4-5'));
    }
    if (request.method === 'POST' && pathname === '/v1/messages/count_tokens') {
      // A count, not a generation: nothing is billed, so nothing is reported.
      return json(response, 200, { input_tokens: JSON.stringify(body ?? '').length % 997 + 101 });
    }
    if (request.method !== 'POST' || pathname !== '/v1/messages') {
      return error(response, 404, 'not_found_error', `Not found: ${request.method} ${pathname}`);
    }
    const requested = String(body?.model ?? '');
    if (options.failure) {
      const failure = FAILURES[options.failure];
      // A short retry-after keeps a CLI's retries quick; the CLIs still retry as often as they would.
      if (options.failure === 'throttled') {
        response.setHeader('retry-after', '0');
      }
      return error(response, failure.status, failure.type, failure.message(requested));
    }
    if (asksToHold(body)) {
      // No answer at all: the request stays open until the client gives up or stop() drops the connection.
      return;
    }
    const message = script.answer(body, options.servedModel?.(requested) ?? requested);
    if (body?.stream === true) {
      return stream(response, message);
    }
    return json(response, 200, message);
  }

  return serveStandIn(server, { requests, reportedUsage: script.reportedUsage });
}

/**
 * The scripted answer. With tools (Claude Code): first the probe's Bash call, if any, then its Write tool (`file_path`, relative to the working
 * directory, and `content`), then, once its result came back, a final text.
 * Without tools (Aider): one SEARCH/REPLACE block that creates the file, Aider's "diff" edit format
 * (aider/coders/editblock_prompts.py: the file path alone on a line, then the fenced block with an empty
 * SEARCH section for a new file). Side requests of either get a short text.
 */
function reply(body: any, edit: { file: string; content: string }, { delegateTo, probe }: ScriptOptions): Block[] {
  const tools: any[] = Array.isArray(body?.tools) ? body.tools : [];
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  // Each conversation makes one scripted tool call; Claude Code may add messages after its result (a subagent's
  // `system` reminders), so any result in the conversation counts.
  const toolResults = messages.flatMap((message) => (Array.isArray(message?.content) ? message.content : []).filter((block: any) => block?.type === 'tool_result'));
  // With a probe, its Bash call comes first (the Bash tool's input in 2.1.332: command, description).
  if (probe && tools.some((tool) => tool?.name === 'Bash') && toolResults.length === 0) {
    return [{ type: 'tool_use', id: 'toolu_standin0003', name: 'Bash', input: { command: probe, description: 'Probe the environment' } }];
  }
  const toolResultCame = toolResults.length > (probe ? 1 : 0);
  const subagentPrompt = `Subagent: write ${edit.file}`;
  const isSubagent = JSON.stringify(messages).includes(subagentPrompt);
  if (delegateTo && !isSubagent && tools.some((tool) => tool?.name === 'Agent')) {
    if (toolResultCame) {
      return [{ type: 'text', text: `The subagent wrote ${edit.file}.` }];
    }
    // The Agent tool's input as 2.1.332 declares it: description, prompt, subagent_type, model.
    const input = { description: 'Write the file', prompt: subagentPrompt, subagent_type: 'general-purpose', model: delegateTo, run_in_background: false };
    return [{ type: 'tool_use', id: 'toolu_standin0002', name: 'Agent', input }];
  }
  if (tools.some((tool) => tool?.name === 'Write')) {
    if (toolResultCame) {
      return [{ type: 'text', text: `Wrote ${edit.file}.` }];
    }
    return [
      { type: 'text', text: `I will write ${edit.file}.` },
      { type: 'tool_use', id: 'toolu_standin0001', name: 'Write', input: { file_path: edit.file, content: edit.content } },
    ];
  }
  if (tools.length === 0 && /SEARCH\/REPLACE/.test(systemText(body) + JSON.stringify(messages))) {
    const content = edit.content.endsWith('\n') ? edit.content : `${edit.content}\n`;
    return [{ type: 'text', text: `I will create ${edit.file}.\n\n${edit.file}\n\`\`\`\n<<<<<<< SEARCH\n=======\n${content}>>>>>>> REPLACE\n\`\`\`\n` }];
  }
  return [{ type: 'text', text: 'Stand-in side answer.' }];
}

function systemText(body: any): string {
  const system = body?.system;
  if (typeof system === 'string') {
    return system;
  }
  return Array.isArray(system) ? system.map((block: any) => String(block?.text ?? '')).join('\n') : '';
}

/** /en/api/models-list: a page of model objects. */
function modelList(id: string) {
  return {
    data: [{ type: 'model', id, display_name: id, created_at: '2025-09-29T00:00:00Z' }],
    has_more: false,
    first_id: id,
    last_id: id,
  };
}

/**
 * /en/api/messages-streaming: message_start (with the input and cache counts), a ping, per block
 * content_block_start / delta / stop (text_delta, input_json_delta for a tool's input), message_delta
 * (stop_reason and the cumulative usage), message_stop. Each event's `type` is its SSE event name.
 */
export function messageEvents(message: ScriptedMessage): Array<{ type: string } & Record<string, unknown>> {
  const { content, usage, stop_reason: stopReason, ...rest } = message;
  const events: Array<{ type: string } & Record<string, unknown>> = [
    { type: 'message_start', message: { ...rest, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } },
    { type: 'ping' },
  ];
  content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } });
    } else {
      events.push({ type: 'content_block_start', index, content_block: { ...block, input: {} } });
      events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
    }
    events.push({ type: 'content_block_stop', index });
  });
  events.push({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage });
  events.push({ type: 'message_stop' });
  return events;
}

function stream(response: http.ServerResponse, message: ScriptedMessage): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  messageEvents(message).forEach((event) => response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
  response.end();
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function error(response: http.ServerResponse, status: number, type: string, message: string): void {
  json(response, status, { type: 'error', error: { type, message } });
}
