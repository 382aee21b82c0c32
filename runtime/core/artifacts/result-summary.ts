import type { RunResult } from './run-result';
import type { DispatchResultSummary } from '../dispatch/dispatch';

/**
 * What the dispatch keeps of its result.json: what the run produced (how it ended is the dispatch's status; the
 * rest repeats the dispatch). A field the worker left out stays out, as DynamoDB refuses undefined values.
 */
export function summarizeResult(result: RunResult): DispatchResultSummary {
  const { commit, branch, tokenUsage, modelUsage, durationSeconds, workspaceSize } = result;
  return { commit, branch, tokenUsage, durationSeconds, ...(modelUsage && { modelUsage }), ...(workspaceSize && { workspaceSize }) };
}
