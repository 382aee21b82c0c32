import { pushAssignment } from './handoff';
import type { LifecycleDeps } from './lifecycle-deps';
import { failed } from './start-dispatch';
import { summarizeResult } from '../core/artifacts/result-summary';
import { isFinal } from '../core/dispatch/states';
import { runOutcome } from '../core/tasks/run-outcome';
import { dispatchIdOf, isReady, isStopped, type TaskState } from '../core/tasks/task-event';

/** Thrown to have the event delivered again: the worker may answer a moment later. */
export class RetryLater extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryLater';
  }
}

/**
 * React to an ECS task state change of the platform's cluster (docs/control-plane.md). Returns the dispatch the
 * task ran or was to run, if any: the handler's correlation id.
 */
export async function onTaskStateChange(deps: LifecycleDeps, task: TaskState): Promise<string | undefined> {
  if (isStopped(task)) {
    return finishRun(deps, task);
  }
  if (isReady(task) && task.privateIp) {
    return handOff(deps, task, task.privateIp);
  }
  return dispatchIdOf(task);
}

/** A worker became healthy: a pool worker is now idle; a worker started for a dispatch gets its assignment. */
async function handOff(deps: LifecycleDeps, task: TaskState, privateIp: string): Promise<string | undefined> {
  const worker = await deps.pool.get(task.taskId);
  if (!worker || worker.state === 'BUSY') {
    return worker?.dispatchId ?? dispatchIdOf(task);
  }
  const dispatchId = worker.dispatchId ?? dispatchIdOf(task);
  if (!dispatchId) {
    await deps.pool.markIdle(task.taskId, privateIp);
    return undefined;
  }
  const dispatch = await deps.dispatches.get(dispatchId);
  if (!dispatch || dispatch.status !== 'STARTING') {
    // Cancelled or failed while the task started: nothing for it to do.
    await deps.launcher.stop(task.taskArn, `dispatch ${dispatchId} is ${dispatch?.status ?? 'gone'}`);
    return dispatchId;
  }
  const outcome = await pushAssignment(deps, dispatch, { ...worker, privateIp });
  switch (outcome.kind) {
    case 'accepted': {
      await deps.pool.markBusy(task.taskId, dispatchId);
      await deps.dispatches.transition(dispatch, 'RUNNING', deps.now());
      return dispatchId;
    }
    case 'retry':
      throw new RetryLater(outcome.reason);
    default:
      await failed(deps, dispatch, outcome.kind === 'fail' ? outcome.reason : `the worker did not take the assignment: ${outcome.reason}`);
      await deps.launcher.stop(task.taskArn, outcome.reason);
      return dispatchId;
  }
}

/** A task stopped: its dispatch ends as the worker's result.json says, or failed with ECS's reason. */
async function finishRun(deps: LifecycleDeps, task: TaskState): Promise<string | undefined> {
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
    ...(outcome.error && { error: outcome.error, reason: outcome.error }),
    ...(result && { result: summarizeResult(result) }),
  });
  return dispatch.id;
}
