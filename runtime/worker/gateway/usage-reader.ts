import type { ModelUsage } from '../../contracts/token-usage';

/**
 * What one provider response consumed, read from the JSON objects it carried: the whole body of a plain response,
 * or each server-sent event's data, in order. One reader per response.
 */
export interface UsageReader {
  observe(value: unknown): void;
  /** Per model served, as ModelUsage counts it (types.ts): input with cache reads and writes, output with reasoning. */
  usage(): ModelUsage[];
}

/** What a reader knows of the request before the response: the model it asked for (by body or by path). */
export interface RequestFacts {
  readonly requestedModel: string | undefined;
}

export type UsageReaderFactory = (request: RequestFacts) => UsageReader;
