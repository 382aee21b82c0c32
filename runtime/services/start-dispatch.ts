import { pushAssignment, resolveModel } from './handoff';
import type { LifecycleDeps } from './lifecycle-deps';
import { LaunchError } from '../adapters/worker-launcher';
import type { Dispatch } from '../core/dispatch/dispatch';
import type { PoolWorker } from '../core/pool/pool-worker';
import { newWorkerToken } from '../core/pool/worker-token';

/** Idle workers tried before starting a task: more would only delay a dispatch the pool cannot serve. */
const WARM_ATTEMPTS = 3;

/**
 * Start a QUEUED dispatch: hand it to an idle worker of its agent if one takes it (warm), otherwise start a
 * task for it (cold; the hand-off follows when ECS reports the task healthy). Returns the dispatch as it is
 * now. The dispatch stays QUEUED until a worker has accepted it or a task is running for it, so a failed
 * warm hand-off never leaves it half-started.
 */
export async function startDispatch(deps: LifecycleDeps, dispatch: Dispatch, workspaceTaskDefinition?: string): Promise<Dispatch> {
  // A persistent workspace is mounted by its own task definition, which no warm worker was started from.
  for (let attempt = 0; !workspaceTaskDefinition && attempt < WARM_ATTEMPTS; attempt++) {
    const worker = await deps.pool.claimIdle(dispatch.agent, dispatch.id);
    if (!worker) {
      break;
    }
    const outcome = await pushAssignment(deps, dispatch, worker);
    if (outcome.kind === 'accepted') {
      return startedWarm(deps, dispatch, worker);
    }
    if (outcome.kind === 'reject') {
      await deps.pool.release(worker.taskId, dispatch.id);
      return failed(deps, dispatch, `the worker rejected the assignment: ${outcome.reason}`);
    }
    await setAside(deps, worker, dispatch, outcome.kind === 'other-worker', outcome.reason);
  }
  return startCold(deps, dispatch, workspaceTaskDefinition);
}

async function startedWarm(deps: LifecycleDeps, dispatch: Dispatch, worker: PoolWorker): Promise<Dispatch> {
  const starting = await deps.dispatches.transition(dispatch, 'STARTING', deps.now(), { taskArn: worker.taskArn, warm: true, model: resolveModel(dispatch, deps) });
  if (!starting.applied) {
    // Cancelled while the worker took it: that run must not go ahead.
    await deps.launcher.stop(worker.taskArn, `dispatch ${dispatch.id} is ${starting.current.status}`);
    await deps.pool.remove(worker.taskId);
    return starting.current;
  }
  await deps.pool.markBusy(worker.taskId, dispatch.id);
  const running = await deps.dispatches.transition(starting.dispatch, 'RUNNING', deps.now());
  return running.applied ? running.dispatch : running.current;
}

/** A worker that cannot take the dispatch now goes back to the pool; one that never will is stopped. */
async function setAside(deps: LifecycleDeps, worker: PoolWorker, dispatch: Dispatch, never: boolean, reason: string): Promise<void> {
  if (never) {
    await deps.launcher.stop(worker.taskArn, `unusable worker: ${reason}`);
    await deps.pool.remove(worker.taskId);
  } else {
    await deps.pool.release(worker.taskId, dispatch.id);
  }
}

async function startCold(deps: LifecycleDeps, dispatch: Dispatch, taskDefinitionArn?: string): Promise<Dispatch> {
  const token = newWorkerToken();
  let launched;
  try {
    launched = await deps.launcher.launch({ agent: dispatch.agent, dispatchId: dispatch.id, token, taskDefinitionArn });
  } catch (error) {
    if (error instanceof LaunchError) {
      return failed(deps, dispatch, `could not start a worker: ${error.reason}`);
    }
    throw error;
  }
  await deps.pool.registerReserved({ taskId: launched.taskId, taskArn: launched.taskArn, agent: dispatch.agent, token }, dispatch.id);
  const starting = await deps.dispatches.transition(dispatch, 'STARTING', deps.now(), { taskArn: launched.taskArn, warm: false, model: resolveModel(dispatch, deps) });
  if (!starting.applied) {
    await deps.launcher.stop(launched.taskArn, `dispatch ${dispatch.id} is ${starting.current.status}`);
    return starting.current;
  }
  return starting.dispatch;
}

export async function failed(deps: LifecycleDeps, dispatch: Dispatch, reason: string): Promise<Dispatch> {
  const outcome = await deps.dispatches.transition(dispatch, 'FAILED', deps.now(), { reason, error: reason });
  return outcome.applied ? outcome.dispatch : outcome.current;
}
