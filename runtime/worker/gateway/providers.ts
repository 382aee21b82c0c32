import type { IncomingHttpHeaders } from 'http';
import { anthropicUsageReader } from './anthropic-usage';
import { geminiUsageReader } from './gemini-usage';
import { openAiUsageReader } from './openai-usage';
import type { UsageReaderFactory } from './usage-reader';

export const PROVIDER_NAMES = ['anthropic', 'openai', 'gemini', 'xai', 'bedrock'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** A refusal in the provider's own error shape, so that the CLI reports it as it would the provider's. */
export interface ProviderError {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Provider {
  readonly name: ProviderName;
  /**
   * Where ECS injects the key (src/agents/agent-catalog.ts API_KEY_ENV): the worker's environment only. None for
   * Bedrock, whose requests the gateway signs with the task role instead (bedrock-signer.ts).
   */
  readonly keyVariable?: string;
  /** The provider's documented API host. */
  readonly upstream: string;
  /** Request headers that carry a key: the agent's placeholder is dropped from all of them. */
  readonly keyHeaders: readonly string[];
  readonly usage: UsageReaderFactory;
  /**
   * The only requests (`METHOD /path` below the provider's base) the gateway forwards; others it answers itself with
   * 403. @default every request
   */
  readonly forwards?: RegExp;
  /** The header the real key goes in, and how (not called for Bedrock). */
  authorize(headers: IncomingHttpHeaders, key: string): void;
  /** The error for a request the gateway will not forward (budget spent), as the provider shapes its errors. */
  error(status: number, message: string): ProviderError;
}

/** Bearer keys (OpenAI, xAI): OpenAI's error object (platform.openai.com/docs/guides/error-codes). */
function bearer(name: 'openai' | 'xai', keyVariable: string, upstream: string): Provider {
  return {
    name,
    keyVariable,
    upstream,
    keyHeaders: ['authorization'],
    authorize: (headers, key) => { headers.authorization = `Bearer ${key}`; },
    usage: openAiUsageReader,
    error: (status, message) => ({ status, body: { error: { message, type: 'insufficient_quota', param: null, code: 'insufficient_quota' } } }),
  };
}

/**
 * The providers the gateway carries: the key header and the error shape each documents. Anthropic: `x-api-key`
 * (docs.anthropic.com/en/api/overview), errors `{"type":"error","error":{type,message}}` (/en/api/errors).
 * Gemini: `x-goog-api-key` (ai.google.dev/gemini-api/docs/api-key; the `key` query parameter is the other way, and
 * is rewritten too), errors `{"error":{code,message,status}}` (ai.google.dev/gemini-api/docs/troubleshooting).
 */
export const PROVIDERS: Readonly<Record<ProviderName, Provider>> = {
  anthropic: {
    name: 'anthropic',
    keyVariable: 'ANTHROPIC_API_KEY',
    upstream: 'https://api.anthropic.com',
    keyHeaders: ['x-api-key', 'authorization'],
    authorize: (headers, key) => { headers['x-api-key'] = key; },
    usage: anthropicUsageReader,
    error: (status, message) => ({ status, body: { type: 'error', error: { type: status === 402 ? 'billing_error' : 'api_error', message } } }),
  },
  openai: bearer('openai', 'OPENAI_API_KEY', 'https://api.openai.com'),
  gemini: {
    name: 'gemini',
    keyVariable: 'GEMINI_API_KEY',
    upstream: 'https://generativelanguage.googleapis.com',
    keyHeaders: ['x-goog-api-key', 'authorization'],
    authorize: (headers, key) => { headers['x-goog-api-key'] = key; },
    usage: geminiUsageReader,
    error: (status, message) => ({ status, body: { error: { code: status, message, status: status === 429 ? 'RESOURCE_EXHAUSTED' : 'FAILED_PRECONDITION' } } }),
  },
  xai: bearer('xai', 'XAI_API_KEY', 'https://api.x.ai'),
  // Claude on Bedrock (InvokeModel, InvokeModelWithResponseStream): the Messages API's bodies and events, signed with
  // SigV4 instead of a key. Errors: `{"message"}` with the type in `x-amzn-ErrorType` (Bedrock API reference, "Common
  // Errors"). The regional host is the Region's (upstreams.ts). Only the two operations the task role may call are
  // signed and forwarded: Claude Code 2.1.332 also sends ListInferenceProfiles (`GET /inference-profiles`, the
  // `bedrock` control plane's, to map aliases to profiles) to its ANTHROPIC_BEDROCK_BASE_URL, which the runtime host
  // does not serve and the role may not call; refused here, Claude Code keeps the model it was given
  // (test/conformance/claude-bedrock.conformance.test.ts).
  bedrock: {
    name: 'bedrock',
    upstream: 'https://bedrock-runtime.us-east-1.amazonaws.com',
    forwards: /^POST \/model\/[^/]+\/(invoke|invoke-with-response-stream)$/,
    keyHeaders: ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'],
    authorize: () => undefined,
    usage: anthropicUsageReader,
    error: (status, message) => ({ status, body: { message }, headers: { 'x-amzn-errortype': status === 429 ? 'ThrottlingException' : 'AccessDeniedException' } }),
  },
};

/** The status each provider answers a spent budget with: Anthropic's billing error, the others' quota error. */
export const BUDGET_STATUS: Readonly<Record<ProviderName, number>> = { anthropic: 402, openai: 429, gemini: 429, xai: 429, bedrock: 403 };
