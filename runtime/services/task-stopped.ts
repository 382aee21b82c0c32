import type { LifecycleDeps } from './lifecycle-deps';
import { summarizeResult } from '../core/artifacts/result-summary';
import { isFinal } from '../core/dispatch/states';
import { runOutcome } from '../core/tasks/run-outcome';
import { dispatchIdOf, isStopped, type TaskState } from '../core/tasks/task-event';

/** What completing a run touches: no ECS, no worker, no git credentials (the task-stopped handler bundles none of them). */
export type CompletionDeps = Pick<LifecycleDeps, 'dispatches' | 'pool' | 'artifacts' | 'now'>;

/**
 * A task stopped (docs/control-plane.md, "Completion"): its dispatch ends as the worker's result.json says, or
 * failed with ECS's reason; a task Fargate Spot reclaimed fails, whatever the worker said (core/tasks/run-outcome.ts). Returns the dispatch the task ran or was to run, if any: the handler's correlation
 * id. A task that has not stopped is left alone: the task-stopped rule sends only stopped ones.
 */
export async function onTaskStopped(deps: CompletionDeps, task: TaskState): Promise<string | undefined> {
  if (!isStopped(task)) {
    return dispatchIdOf(task);
  }
  const worker = await deps.pool.get(task.taskId);
  await deps.pool.remove(task.taskId);
  const dispatchId = worker?.dispatchId ?? dispatchIdOf(task);
  const dispatch = dispatchId ? await deps.dispatches.get(dispatchId) : undefined;
  if (!dispatch) {
    return dispatchId;
  }
  if (isFinal(dispatch.status)) {
    // Cancelled or timed out before its task stopped: the ledger waits for what the task ran (docs/costs.md).
    if (task.run && dispatch.taskArn === task.taskArn) {
      await deps.dispatches.recordTask(dispatch.id, task.run);
    }
    return dispatchId;
  }
  const read = await deps.artifacts.readResult(dispatch.id);
  const result = read?.ok ? read.result : null;
  const outcome = runOutcome(task, result);
  await deps.dispatches.transition(dispatch, outcome.status, deps.now(), {
    exitCode: outcome.exitCode,
    ...(task.run && { task: task.run }),
    ...(outcome.error && { error: outcome.error }),
    ...(outcome.reason && { reason: outcome.reason }),
    ...(result && { result: summarizeResult(result) }),
  });
  return dispatch.id;
}
