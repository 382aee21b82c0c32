import { type DispatchResult } from '../../../runtime/contracts/dispatch-result';
import { classifyOutcome, type OutcomeInput } from '../../../runtime/worker/result';

/**
 * result.json as the worker writes it (runtime/worker/dispatch.ts): a `DispatchResult` with the outcome
 * from the worker's own classifyOutcome, serialised the same way.
 */
export function workerResult(
  dispatchId: string,
  input: OutcomeInput,
  published: Pick<DispatchResult, 'commit' | 'branch' | 'tokenUsage'> & Partial<Pick<DispatchResult, 'modelUsage'>>,
): DispatchResult {
  const outcome = classifyOutcome(input);
  return {
    dispatchId,
    agent: 'claude',
    model: 'test-model-1',
    status: outcome.status,
    exitCode: outcome.exitCode,
    tokenUsage: published.tokenUsage,
    // A worker before per-model usage wrote no modelUsage at all.
    ...(published.modelUsage !== undefined && { modelUsage: published.modelUsage }),
    commit: published.commit,
    branch: published.branch,
    durationSeconds: 12.345,
    error: outcome.error,
    startedAt: new Date('2026-01-02T03:04:05.678Z').toISOString(),
    finishedAt: new Date('2026-01-02T03:04:18.023Z').toISOString(),
  };
}

export function workerDocument(result: DispatchResult): string {
  return JSON.stringify(result, null, 2);
}
