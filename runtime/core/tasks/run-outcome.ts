import type { TaskState } from './task-event';
import type { FailureCode } from '../../contracts/dispatch-result';

/** What `result.json` says, as far as the outcome is concerned. */
export interface ResultSummary {
  readonly status: 'succeeded' | 'failed' | 'timed_out' | 'cancelled';
  readonly exitCode: number;
  readonly error: string | null;
  /** The failure's code (`BudgetExceeded`), when the worker named one this control plane knows (parseRunResult). */
  readonly failureCode?: FailureCode;
}

export type FinalStatus = 'COMPLETED' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED';

export interface RunOutcome {
  readonly status: FinalStatus;
  readonly exitCode?: number;
  readonly error?: string;
  /**
   * The dispatch's `statusReason`, which the `Dispatch State Change` event carries as `detail.reason`: a fixed
   * value where operators match on it (SPOT_INTERRUPTED), the error otherwise.
   */
  readonly reason?: string;
}

/**
 * The `reason` of a dispatch whose Fargate Spot task was reclaimed: an EventBridge rule can match
 * `{ "detail": { "to": ["FAILED"], "reason": ["SPOT_INTERRUPTED"] } }` (docs/pool.md, "Fargate Spot").
 */
export const SPOT_INTERRUPTED = 'SPOT_INTERRUPTED';

/**
 * The `reason` of a dispatch whose task AWS stopped for its own infrastructure: a Fargate task retirement
 * (stop code `TerminationNotice`) or an unhealthy host (`InfrastructureHealth`).
 */
export const STOPPED_BY_AWS = 'STOPPED_BY_AWS';

/**
 * The stop codes of tasks that AWS, not the platform or a person, stopped (the Task object's `stopCode`, ECS
 * API reference), each with the reason and the words its dispatch fails with. Each sends the worker the same
 * SIGTERM as StopTask, so its result says `cancelled` although no one cancelled anything.
 */
const INVOLUNTARY_STOPS: Readonly<Record<string, { readonly reason: string; readonly what: string }>> = {
  SpotInterruption: { reason: SPOT_INTERRUPTED, what: 'Fargate Spot reclaimed the task' },
  TerminationNotice: { reason: STOPPED_BY_AWS, what: 'AWS retired the task (Fargate task maintenance)' },
  InfrastructureHealth: { reason: STOPPED_BY_AWS, what: 'AWS stopped the task for an infrastructure problem' },
};

/**
 * The `reason` of a dispatch whose run the worker's model gateway stopped at its `maxCostUsd`: an EventBridge
 * rule can match `{ "detail": { "to": ["FAILED"], "reason": ["BudgetExceeded"] } }` (docs/costs.md, "Budgets").
 */
export const BUDGET_EXCEEDED: FailureCode = 'BudgetExceeded';

const FROM_RESULT: Record<ResultSummary['status'], FinalStatus> = {
  succeeded: 'COMPLETED',
  failed: 'FAILED',
  timed_out: 'TIMED_OUT',
  cancelled: 'CANCELLED',
};

/**
 * The final state of a run from its task's STOPPED event and the worker's `result.json` (null when the
 * worker never wrote one). The worker's own account wins, except its `cancelled` when AWS stopped the task (a
 * Spot interruption, a task retirement): Fargate sends the worker the same SIGTERM as StopTask, so its result
 * says `cancelled` although no one cancelled anything; the run FAILED, and says why. Without a result, ECS's reason is all there is, and a run
 * that ended without reporting did not succeed, whatever its exit code.
 */
export function runOutcome(task: TaskState, result: ResultSummary | null): RunOutcome {
  // Only the SIGTERM's own account is overridden: a run that had finished (succeeded, pushed) before AWS took
  // the task back reported so, and that stands.
  const involuntary = task.stopCode === undefined ? undefined : INVOLUNTARY_STOPS[task.stopCode];
  if (involuntary && (result === null || result.status === 'cancelled')) {
    return stoppedByAws(involuntary, task, result);
  }
  if (result) {
    const status = FROM_RESULT[result.status];
    const error = result.error ?? (status === 'COMPLETED' ? undefined : `the run ended as ${result.status}`);
    // A failure the worker named by a code it knows is matched on by that code; the words stay in `error`.
    const reason = status === 'FAILED' && result.failureCode ? result.failureCode : error;
    return { status, exitCode: result.exitCode, ...(error && { error }), ...(reason && { reason }) };
  }
  const error = stopExplanation(task);
  return { status: 'FAILED', exitCode: task.exitCode, error, reason: error };
}

/** A task AWS stopped: FAILED whatever the worker reported, with the result's exit code when there is one. */
function stoppedByAws(stop: { readonly reason: string; readonly what: string }, task: TaskState, result: ResultSummary | null): RunOutcome {
  const reported = result ? `; the worker reported ${result.status} (exit code ${result.exitCode})` : '; the worker reported no result';
  return {
    status: 'FAILED',
    exitCode: result?.exitCode ?? task.exitCode,
    error: `${stop.what} (${task.stoppedReason ?? 'no reason given'})${reported}`,
    reason: stop.reason,
  };
}

/** ECS's stop code and reason, in words an engineer can act on (a Spot interruption has its own outcome). */
function stopExplanation(task: TaskState): string {
  switch (task.stopCode) {
    case 'TaskFailedToStart':
      return `the task failed to start: ${task.stoppedReason ?? 'no reason given'}`;
    case 'UserInitiated':
      return `the task was stopped: ${task.stoppedReason ?? 'no reason given'}`;
    default:
      return `the worker stopped without reporting a result (${[task.stopCode, task.stoppedReason, task.exitCode !== undefined ? `exit code ${task.exitCode}` : undefined].filter(Boolean).join('; ') || 'no reason given'})`;
  }
}
