import { pushAssignment } from './handoff';
import type { LifecycleDeps } from './lifecycle-deps';
import { failed } from './start-dispatch';
import { dispatchIdOf, isReady, type TaskState } from '../core/tasks/task-event';

/** Thrown to have the event delivered again: the worker may answer a moment later. */
export class RetryLater extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryLater';
  }
}

/**
 * A worker became healthy (docs/control-plane.md, "Hand-off"): a pool worker is now idle; a worker started for a
 * dispatch gets its assignment. Returns the dispatch the task was to run, if any: the handler's correlation id.
 * Any other state is left alone: the task-ready rule sends only healthy tasks, the stopped ones go to
 * onTaskStopped (./task-stopped.ts).
 */
export async function onTaskReady(deps: LifecycleDeps, task: TaskState): Promise<string | undefined> {
  const privateIp = task.privateIp;
  if (!isReady(task) || !privateIp) {
    return dispatchIdOf(task);
  }
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
