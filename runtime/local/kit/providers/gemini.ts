import { jsonBodyServer, serveStandIn, type ProviderFailure, type ProviderStandIn } from './stand-in';
import type { ModelUsage } from '../../../contracts/token-usage';

/**
 * A local stand-in of the Gemini API (generativelanguage.googleapis.com, v1beta), as Gemini CLI calls it
 * through the @google/genai SDK: `POST /v1beta/models/{model}:generateContent`, `:streamGenerateContent?alt=sse`
 * and `:countTokens`, the key in `x-goog-api-key`. Shapes from the API reference
 * (ai.google.dev/api/generate-content: GenerateContentResponse, Candidate, Part.functionCall, UsageMetadata;
 * ai.google.dev/api/tokens; errors as google.rpc.Status, ai.google.dev/gemini-api/docs/troubleshooting) and
 * from what the SDK parses (`@google/genai` 1.30 bundled in the CLI: an SSE `data: <json>` per chunk).
 */

export interface GeminiStandInOptions {
  readonly apiKey: string;
  /** The file the agent is made to write, relative to its workspace, with Gemini CLI's `write_file` tool. */
  readonly edit: { readonly file: string; readonly content: string };
  readonly failure?: ProviderFailure;
  /** The model id it reports serving (`modelVersion`) for a requested id. @default the requested id */
  readonly servedModel?: (requested: string) => string;
}

/** Gemini CLI's file-writing tool, as its request declares it (`write_file`: `file_path`, `content`). */
const WRITE_FILE_TOOL = 'write_file';

interface UsageMetadata {
  promptTokenCount: number;
  cachedContentTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount: number;
  toolUsePromptTokenCount: number;
  totalTokenCount: number;
}

interface Part { text?: string; thought?: boolean; functionCall?: { name: string; args: Record<string, unknown> }; functionResponse?: unknown }
interface Content { role?: string; parts?: Part[] }
interface GenerateContentRequest {
  contents?: Content[];
  tools?: Array<{ functionDeclarations?: Array<{ name: string }> }>;
  generationConfig?: { responseJsonSchema?: JsonSchema; responseSchema?: JsonSchema };
}
interface JsonSchema { type?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; enum?: unknown[] }

/** A 401 in Google's error shape: the API's words for a key it does not accept (reason API_KEY_INVALID). */
const UNAUTHORIZED = {
  code: 401,
  message: 'API key not valid. Please pass a valid API key.',
  status: 'UNAUTHENTICATED',
  details: [{
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    'reason': 'API_KEY_INVALID',
    'domain': 'googleapis.com',
    'metadata': { service: 'generativelanguage.googleapis.com' },
  }],
};

/** The scripted failures, in the API's error shapes (google.rpc.Status with its standard details). */
function failureError(failure: ProviderFailure, model: string): { code: number; message: string; status: string; details?: unknown[] } {
  switch (failure) {
    case 'unauthorized':
      return UNAUTHORIZED;
    case 'throttled':
      // A per-minute quota: QuotaFailure and RetryInfo, whose retryDelay the CLI waits (at least its 5 s base delay).
      return {
        code: 429,
        message: 'You exceeded your current quota, please check your plan and billing details.',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            'violations': [{
              quotaMetric: 'generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count',
              quotaId: 'GenerateContentPaidTierInputTokensPerModelPerMinute',
              quotaDimensions: { location: 'global', model },
            }],
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', 'retryDelay': '1s' },
        ],
      };
    case 'server-error':
      return { code: 500, message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting', status: 'INTERNAL' };
    case 'gone':
      // The API reports a retired model as 404 NOT_FOUND; 410 is the status no client retries or reroutes.
      return { code: 410, message: `models/${model} has been retired and is no longer available.`, status: 'NOT_FOUND' };
  }
}

/**
 * Usage of the n-th response (0-based): distinct, non-round figures, with implicit cache reads
 * (cachedContentTokenCount, part of promptTokenCount) and thinking (thoughtsTokenCount) as Gemini 2.5+ report
 * them; `totalTokenCount` = prompt + candidates + thoughts + tool-use prompt, as the API adds them up.
 */
function usageOf(n: number): UsageMetadata {
  const prompt = 6127 + 1931 * n;
  const cached = n === 0 ? 0 : 4093 + 1409 * n;
  const candidates = 87 + 23 * n;
  const thoughts = 211 + 37 * n;
  const tool = n % 2 === 1 ? 59 + n : 0;
  return {
    promptTokenCount: prompt,
    cachedContentTokenCount: cached,
    candidatesTokenCount: candidates,
    thoughtsTokenCount: thoughts,
    toolUsePromptTokenCount: tool,
    totalTokenCount: prompt + candidates + thoughts + tool,
  };
}

export async function startGeminiStandIn(options: GeminiStandInOptions): Promise<ProviderStandIn> {
  const requests: Array<{ path: string; model?: string; body: unknown }> = [];
  const usage = new Map<string, ModelUsage>();
  const served = options.servedModel ?? ((requested: string) => requested);
  let responses = 0;

  /** Counts a response's usage for the model it reports serving, as the provider bills it. */
  const report = (model: string): UsageMetadata => {
    const metadata = usageOf(responses++);
    const before = usage.get(model) ?? { model, input: 0, output: 0, cached: 0, cacheWrite: 0 };
    usage.set(model, {
      model,
      input: before.input + metadata.promptTokenCount + metadata.toolUsePromptTokenCount,
      output: before.output + metadata.candidatesTokenCount + metadata.thoughtsTokenCount,
      cached: before.cached + metadata.cachedContentTokenCount,
      cacheWrite: 0,
    });
    return metadata;
  };

  const server = jsonBodyServer((req, res, body: unknown) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/.exec(url.pathname);
    requests.push({ path: `${url.pathname}${url.search}`, model: match?.[1], body });
    const sendError = (error: { code: number; message: string; status: string }) => {
      res.writeHead(error.code, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify({ error }, null, 2));
    };
    // The API takes the key from the header or a `key` query parameter.
    const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key');
    if (key !== options.apiKey) {
      return sendError(UNAUTHORIZED);
    }
    if (req.method !== 'POST' || !match) {
      return sendError({ code: 404, message: `The requested URL ${url.pathname} was not found on this server.`, status: 'NOT_FOUND' });
    }
    const [, requested, method] = match;
    if (options.failure) {
      return sendError(failureError(options.failure, requested));
    }
    const request = (body ?? {}) as GenerateContentRequest;
    if (method === 'countTokens') {
      // countTokens is not billed and reports no usage.
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      return res.end(JSON.stringify({ totalTokens: 6127 }));
    }
    const model = served(requested);
    const candidates = answer(request, options.edit);
    if (typeof candidates === 'string') {
      return sendError({ code: 400, message: candidates, status: 'INVALID_ARGUMENT' });
    }
    const responseId = `standin-${requests.length}`;
    const usageMetadata = report(model);
    if (method === 'generateContent') {
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      return res.end(JSON.stringify({ candidates: [{ content: { role: 'model', parts: candidates }, finishReason: 'STOP', index: 0 }], usageMetadata, modelVersion: model, responseId }));
    }
    // One chunk per part; every chunk carries usageMetadata, complete only in the last (as the API streams it).
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    candidates.forEach((part, index) => {
      const last = index === candidates.length - 1;
      const chunk = {
        candidates: [{ content: { role: 'model', parts: [part] }, index: 0, ...(last && { finishReason: 'STOP' }) }],
        usageMetadata: last ? usageMetadata : { promptTokenCount: usageMetadata.promptTokenCount, totalTokenCount: usageMetadata.promptTokenCount },
        modelVersion: model,
        responseId,
      };
      res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    });
    res.end();
  });
  return serveStandIn(server, { requests, reportedUsage: () => [...usage.values()] });
}

/**
 * The script: a request that declares `write_file` is the agent's turn, answered with a thought and a call of
 * that tool until the tool's result comes back, then with a final text; a request with a response schema
 * (Gemini CLI's model router, its JSON side calls) gets an object of that schema; anything else a short text.
 * A string is a request the script cannot answer (the CLI declared no `write_file`).
 */
function answer(request: GenerateContentRequest, edit: GeminiStandInOptions['edit']): Part[] | string {
  const schema = request.generationConfig?.responseJsonSchema ?? request.generationConfig?.responseSchema;
  if (schema) {
    return [{ text: JSON.stringify(instanceOf(schema)) }];
  }
  const tools = (request.tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []).map((declaration) => declaration.name);
  if (tools.length === 0) {
    return [{ text: 'OK' }];
  }
  if (!tools.includes(WRITE_FILE_TOOL)) {
    return `stand-in: the request declares no ${WRITE_FILE_TOOL} tool (it declares ${tools.join(', ')})`;
  }
  const last = request.contents?.[request.contents.length - 1];
  if (last?.parts?.some((part) => part.functionResponse !== undefined)) {
    return [{ text: `I wrote ${edit.file}.` }];
  }
  return [
    { text: `Writing ${edit.file} as asked.`, thought: true },
    { functionCall: { name: WRITE_FILE_TOOL, args: { file_path: edit.file, content: edit.content } } },
  ];
}

/** A value of a response schema (OpenAPI-style types as the CLI sends them, upper or lower case). */
function instanceOf(schema: JsonSchema): unknown {
  if (schema.enum?.length) {
    return schema.enum[0];
  }
  switch (schema.type?.toLowerCase()) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, instanceOf(property)]));
    case 'array':
      return schema.items ? [instanceOf(schema.items)] : [];
    case 'integer':
    case 'number':
      return 17;
    case 'boolean':
      return false;
    default:
      return 'A single-file edit.';
  }
}
