import type { RequestFacts, UsageReader } from './usage-reader';
import type { ModelUsage } from '../../contracts/token-usage';
import { count as tokens, isRecord } from '../agents/json-lines';

/**
 * OpenAI's Responses and Chat Completions APIs, and xAI's, which follow them (docs.x.ai/docs/api-reference).
 *
 * Responses (platform.openai.com/docs/api-reference/responses/object): `usage.input_tokens` (cached ones included,
 * `input_tokens_details.cached_tokens`), `usage.output_tokens` (reasoning included). A stream
 * (…/responses-streaming) repeats the response in its terminal event, `response.completed` (or `.incomplete`,
 * `.failed`), with the usage.
 *
 * Chat Completions (…/chat/object): `usage.prompt_tokens` (cached included, `prompt_tokens_details.cached_tokens`),
 * `usage.completion_tokens` (reasoning included). A stream carries usage in its last chunk only when the request
 * asked for it (`stream_options.include_usage`; …/chat/streaming).
 *
 * Neither reports cache writes. Every usage the response carries is kept and the last one wins: the terminal event
 * repeats the whole response.
 */
export function openAiUsageReader(request: RequestFacts): UsageReader {
  let found: ModelUsage | undefined;
  return {
    observe(value) {
      if (!isRecord(value)) {
        return;
      }
      const response = isRecord(value.response) ? value.response : value;
      const usage = response.usage;
      if (!isRecord(usage)) {
        return;
      }
      const model = typeof response.model === 'string' ? response.model : request.requestedModel ?? 'unknown';
      if ('input_tokens' in usage || 'output_tokens' in usage) {
        found = modelUsage(model, usage.input_tokens, usage.output_tokens, usage.input_tokens_details);
      } else if ('prompt_tokens' in usage || 'completion_tokens' in usage) {
        found = modelUsage(model, usage.prompt_tokens, usage.completion_tokens, usage.prompt_tokens_details);
      }
    },
    usage: () => (found ? [found] : []),
  };
}

/** `details.cached_tokens` is the part of the input read from the cache. */
function modelUsage(model: string, input: unknown, output: unknown, details: unknown): ModelUsage {
  const cached = isRecord(details) ? tokens(details.cached_tokens) : 0;
  return { model, input: tokens(input), output: tokens(output), cached, cacheWrite: 0 };
}
