import type { DispatchRepository } from '../adapters/dispatch-repository';
import type { WorkspaceRepository } from '../adapters/workspace-repository';
import { dispatchIdOf, isStopped, type TaskState } from '../core/tasks/task-event';

/**
 * A task stopped: the persistent workspace its dispatch held is free (docs/control-plane.md, "Persistent
 * workspaces"). Only now, not when the dispatch became final: a cancelled or timed-out task writes to the
 * workspace until it has stopped. Workspace runs always start cold, so the task names its dispatch.
 */
export async function releaseWorkspaceOfStoppedTask(
  dispatches: DispatchRepository, workspaces: WorkspaceRepository | undefined, task: TaskState,
): Promise<void> {
  const dispatchId = isStopped(task) ? dispatchIdOf(task) : undefined;
  if (!workspaces || !dispatchId) {
    return;
  }
  const dispatch = await dispatches.get(dispatchId);
  if (dispatch?.workspace.kind === 'persistent') {
    await workspaces.release(dispatch.requester, dispatch.workspace.name, dispatch.id);
  }
}
