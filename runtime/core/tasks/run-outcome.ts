import type { TaskState } from './task-event';

/** What `result.json` says, as far as the outcome is concerned. */
export interface ResultSummary {
  readonly status: 'succeeded' | 'failed' | 'timed_out' | 'cancelled';
  readonly exitCode: number;
  readonly error: string | null;
}

export type FinalStatus = 'COMPLETED' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED';

export interface RunOutcome {
  readonly status: FinalStatus;
  readonly exitCode?: number;
  readonly error?: string;
}

const FROM_RESULT: Record<ResultSummary['status'], FinalStatus> = {
  succeeded: 'COMPLETED',
  failed: 'FAILED',
  timed_out: 'TIMED_OUT',
  cancelled: 'CANCELLED',
};

/**
 * The final state of a run from its task's STOPPED event and the worker's `result.json` (null when the
 * worker never wrote one). The worker's own account wins; without it, ECS's reason is all there is, and a
 * run that ended without reporting did not succeed, whatever its exit code.
 */
export function runOutcome(task: TaskState, result: ResultSummary | null): RunOutcome {
  if (result) {
    const status = FROM_RESULT[result.status];
    const error = result.error ?? (status === 'COMPLETED' ? undefined : `the run ended as ${result.status}`);
    return { status, exitCode: result.exitCode, ...(error && { error }) };
  }
  return { status: 'FAILED', exitCode: task.exitCode, error: stopExplanation(task) };
}

/** ECS's stop code and reason, in words an engineer can act on. */
export function stopExplanation(task: TaskState): string {
  switch (task.stopCode) {
    case 'SpotInterruption':
      return 'Fargate Spot reclaimed the task before the run reported a result';
    case 'TaskFailedToStart':
      return `the task failed to start: ${task.stoppedReason ?? 'no reason given'}`;
    case 'UserInitiated':
      return `the task was stopped: ${task.stoppedReason ?? 'no reason given'}`;
    default:
      return `the worker stopped without reporting a result (${[task.stopCode, task.stoppedReason, task.exitCode !== undefined ? `exit code ${task.exitCode}` : undefined].filter(Boolean).join('; ') || 'no reason given'})`;
  }
}
