import { failDispatch } from './fail-dispatch';
import { pushAssignment } from './handoff';
import type { LifecycleDeps } from './lifecycle-deps';
import { dispatchIdOf, isReady, type TaskState } from '../core/tasks/task-event';

/** Thrown to have the event delivered again: the worker may answer a moment later. */
export class RetryLater extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryLater';
  }
}

/**
 * A worker's task is running (docs/control-plane.md, "Hand-off"): once the worker answers, a pool worker is
 * idle and a worker started for a dispatch gets its assignment. Returns the dispatch the task was to run, if
 * any: the handler's correlation id. ECS's event says only that the task's containers started (it carries no
 * health status), so the worker is asked until it listens (WorkerClient.untilListening); one that does not
 * within the patience's budget makes the event retry. Any other state is left alone: the task-ready rule sends
 * only running tasks, the stopped ones go to onTaskStopped (./task-stopped.ts).
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
    await untilListening(deps, privateIp);
    await deps.pool.markIdle(task.taskId, privateIp);
    return undefined;
  }
  const dispatch = await deps.dispatches.get(dispatchId);
  if (!dispatch || dispatch.status !== 'STARTING') {
    // Cancelled or failed while the task started: nothing for it to do.
    await deps.launcher.stop(task.taskArn, `dispatch ${dispatchId} is ${dispatch?.status ?? 'gone'}`);
    return dispatchId;
  }
  await untilListening(deps, privateIp);
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
      await failDispatch(deps, dispatch, outcome.kind === 'fail' ? outcome.reason : `the worker did not take the assignment: ${outcome.reason}`);
      await deps.launcher.stop(task.taskArn, outcome.reason);
      return dispatchId;
  }
}

/** Wait until the task's worker answers; one that does not within the budget makes the event retry. */
async function untilListening(deps: LifecycleDeps, privateIp: string): Promise<void> {
  const listening = await deps.workers.untilListening({ privateIp, port: deps.config.workerPort });
  if (!listening.listening) {
    throw new RetryLater(listening.reason);
  }
}
