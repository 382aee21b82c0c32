/** What a handler's logger offers for correlation: JsonLogger (./json-log.ts), every handler's logger. */
export interface CorrelatedLogger {
  setCorrelationId(id: string): void;
  resetKeys(): void;
  error(message: string, fields: Record<string, unknown>): void;
}

/**
 * Runs a handler's work for one dispatch with the dispatch's id as the `correlation_id` of every line the
 * logger writes meanwhile (none for an unknown dispatch: the last invocation's id is forgotten either way). An
 * error is logged with it before it propagates to API Gateway's 500 or Lambda's retry, so a failure is found
 * by the dispatch's id like everything else about it.
 */
export async function forDispatch<T>(logger: CorrelatedLogger, dispatchId: string | undefined, work: () => Promise<T>): Promise<T> {
  logger.resetKeys();
  if (dispatchId) {
    logger.setCorrelationId(dispatchId);
  }
  try {
    return await work();
  } catch (error) {
    logger.error('the handler failed', { error });
    throw error;
  }
}
