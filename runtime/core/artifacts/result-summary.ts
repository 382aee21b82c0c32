import type { RunResult } from './run-result';

/** What the API shows of a finished run; the rest of result.json repeats the dispatch record. */
export type ResultSummary = Pick<RunResult, 'status' | 'exitCode' | 'commit' | 'branch' | 'tokenUsage' | 'durationSeconds' | 'error'>;

export function summarizeResult(result: RunResult): ResultSummary {
  const { status, exitCode, commit, branch, tokenUsage, durationSeconds, error } = result;
  return { status, exitCode, commit, branch, tokenUsage, durationSeconds, error };
}
