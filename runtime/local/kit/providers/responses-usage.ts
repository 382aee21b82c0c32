import type { ModelUsage } from '../../../contracts/token-usage';

/**
 * The Responses API's usage object, OpenAI's and xAI's alike (OpenAI's API reference, "The response object";
 * xAI's `xaiResponsesUsageSchema` in the AI SDK): `input_tokens` includes the cached ones, `output_tokens` the
 * reasoning ones.
 */
export interface ResponsesUsage {
  readonly input_tokens: number;
  readonly input_tokens_details: { readonly cached_tokens: number };
  readonly output_tokens: number;
  readonly output_tokens_details: { readonly reasoning_tokens: number };
  readonly total_tokens: number;
}

/** What a stand-in that answered with `usage` as `model` reported: neither API reports cache writes. */
export function responsesModelUsage(model: string, usage: ResponsesUsage): ModelUsage {
  return { model, input: usage.input_tokens, output: usage.output_tokens, cached: usage.input_tokens_details.cached_tokens, cacheWrite: 0 };
}
