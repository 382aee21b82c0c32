import type { RequestFacts, UsageReader } from './usage-reader';
import type { ModelUsage } from '../../contracts/token-usage';
import { count as tokens, isRecord } from '../agents/json-lines';

/**
 * Anthropic Messages (docs.anthropic.com/en/api/messages, /en/docs/build-with-claude/streaming). A plain response is
 * a `message` with `model` and `usage`; a stream opens with `message_start` (the message, its input and cache
 * counts, an early output count) and `message_delta` events carry cumulative usage, so the last figure of each
 * field wins. `input_tokens` excludes the cache reads and writes (/en/docs/build-with-claude/prompt-caching): they
 * are added back, as ModelUsage counts input.
 */
export function anthropicUsageReader(request: RequestFacts): UsageReader {
  let model = request.requestedModel;
  let figures: Record<string, unknown> | undefined;
  const take = (usage: unknown) => {
    if (isRecord(usage)) {
      figures = { ...figures, ...Object.fromEntries(Object.entries(usage).filter(([, value]) => typeof value === 'number')) };
    }
  };
  return {
    observe(value) {
      if (!isRecord(value)) {
        return;
      }
      const message = value.type === 'message_start' ? value.message : value.type === 'message' ? value : undefined;
      if (isRecord(message)) {
        model = typeof message.model === 'string' ? message.model : model;
        take(message.usage);
      } else if (value.type === 'message_delta') {
        take(value.usage);
      }
    },
    usage(): ModelUsage[] {
      if (!figures) {
        return [];
      }
      const cached = tokens(figures.cache_read_input_tokens);
      const cacheWrite = tokens(figures.cache_creation_input_tokens);
      return [{ model: model ?? 'unknown', input: tokens(figures.input_tokens) + cached + cacheWrite, output: tokens(figures.output_tokens), cached, cacheWrite }];
    },
  };
}
