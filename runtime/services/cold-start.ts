import type { DynamoDBRecord } from 'aws-lambda';
import { failDispatch } from './fail-dispatch';
import { resolveModel } from './handoff';
import type { LifecycleDeps } from './lifecycle-deps';
import { prepareWorkspace } from './prepare-workspace';
import type { WorkspaceDeps } from './workspace-deps';
import { streamChange } from '../adapters/stream-change';
import { LaunchError } from '../adapters/worker-launcher';
import { coldStartRequest } from '../core/dispatch/cold-start-request';
import type { Dispatch } from '../core/dispatch/dispatch';
import { DispatchStatus } from '../core/dispatch/states';

/** The dispatch a record of the dispatches table's stream hands to the starter (`coldStartRequest`), if any. */
export function coldStartRequested(record: DynamoDBRecord): Dispatch | undefined {
  return coldStartRequest(streamChange(record));
}

/**
 * The starter's work for a dispatch handed to it (`coldStartRequest`): start a task for it, on its persistent
 * workspace's task definition (made on first use, once the workspace provisioner has made the workspace's
 * access point: until then the dispatch waits, QUEUED) or its agent's, register the new worker as reserved for it,
 * and move it to STARTING; the hand-off follows when ECS reports the task running and its worker answers. A dispatch that is no
 * longer QUEUED (cancelled meanwhile) is left alone; one whose task cannot be started, after RunTask's
 * retries, or whose workspace is no longer its own, FAILS with the reason. AWS errors other than RunTask's
 * throw, for the stream to deliver the record again. `workspaces` is undefined on a platform without
 * persistent workspaces.
 */
export async function startCold(deps: LifecycleDeps, workspaces: WorkspaceDeps | undefined, requested: Dispatch): Promise<Dispatch> {
  const dispatch = await deps.dispatches.get(requested.id);
  if (!dispatch || dispatch.status !== DispatchStatus.QUEUED) {
    return dispatch ?? requested;
  }
  let taskDefinitionArn: string | undefined;
  if (dispatch.workspace.kind === 'persistent') {
    if (!workspaces) {
      return failDispatch(deps, dispatch, 'persistent workspaces are not available on this platform');
    }
    const prepared = await prepareWorkspace(workspaces, dispatch);
    if (prepared.kind === 'lost') {
      return failDispatch(deps, dispatch, prepared.reason);
    }
    if (prepared.kind === 'awaiting-access-point') {
      // The provisioner marks the dispatch `workspaceReadyAt` when the access point is made: the stream brings it back.
      return dispatch;
    }
    taskDefinitionArn = prepared.taskDefinitionArn;
  }
  let launched;
  try {
    launched = await deps.launcher.launch({ agent: dispatch.agent, dispatchId: dispatch.id, taskDefinitionArn });
  } catch (error) {
    if (error instanceof LaunchError) {
      return failDispatch(deps, dispatch, `could not start a worker: ${error.reason}`);
    }
    throw error;
  }
  const { taskId, taskArn, tokenCiphertext } = launched;
  await deps.pool.registerReserved({ taskId, taskArn, agent: dispatch.agent, tokenCiphertext }, dispatch.id);
  const starting = await deps.dispatches.transition(dispatch, 'STARTING', deps.now(), { taskArn, warm: false, model: resolveModel(dispatch, deps) });
  if (!starting.applied) {
    await deps.launcher.stop(taskArn, `dispatch ${dispatch.id} is ${starting.current.status}`);
    return starting.current;
  }
  return starting.dispatch;
}
