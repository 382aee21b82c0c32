import type { RequestFacts, UsageReader } from './usage-reader';
import type { ModelUsage } from '../../contracts/token-usage';
import { count as tokens, isRecord } from '../agents/json-lines';

/**
 * Gemini generateContent and streamGenerateContent (ai.google.dev/api/generate-content): `usageMetadata` with
 * `promptTokenCount` (cache reads included, `cachedContentTokenCount`), `candidatesTokenCount`,
 * `thoughtsTokenCount` (billed as output) and `toolUsePromptTokenCount` (results of the API's own tools, billed as
 * input); `modelVersion` names the model that served. A stream (`alt=sse`, or a JSON array without it) carries
 * usageMetadata in its chunks, complete in the last: the last one wins.
 */
export function geminiUsageReader(request: RequestFacts): UsageReader {
  let model = request.requestedModel;
  let metadata: Record<string, unknown> | undefined;
  const observeOne = (value: unknown) => {
    if (!isRecord(value)) {
      return;
    }
    model = typeof value.modelVersion === 'string' ? value.modelVersion : model;
    metadata = isRecord(value.usageMetadata) ? value.usageMetadata : metadata;
  };
  return {
    observe(value) {
      (Array.isArray(value) ? value : [value]).forEach(observeOne);
    },
    usage(): ModelUsage[] {
      if (!metadata) {
        return [];
      }
      return [{
        model: model ?? 'unknown',
        input: tokens(metadata.promptTokenCount) + tokens(metadata.toolUsePromptTokenCount),
        output: tokens(metadata.candidatesTokenCount) + tokens(metadata.thoughtsTokenCount),
        cached: tokens(metadata.cachedContentTokenCount),
        cacheWrite: 0,
      }];
    },
  };
}
