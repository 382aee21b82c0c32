import { releaseWorkspaceOfStoppedTask } from './release-workspace';
import { onTaskStopped, type CompletionDeps } from './task-stopped';
import type { WorkspaceRepository } from '../adapters/workspace-repository';
import type { TaskState } from '../core/tasks/task-event';

/**
 * A task of the platform's cluster stopped: the completion (`onTaskStopped`), then the persistent workspace its
 * dispatch held is free (`releaseWorkspaceOfStoppedTask`; `workspaces` is undefined on a platform without
 * persistent workspaces). Resolves to the dispatch the task ran, if any: the handler's correlation id.
 */
export async function handleStoppedTask(
  deps: CompletionDeps, workspaces: WorkspaceRepository | undefined, task: TaskState,
): Promise<string | undefined> {
  const dispatchId = await onTaskStopped(deps, task);
  await releaseWorkspaceOfStoppedTask(deps.dispatches, workspaces, task);
  return dispatchId;
}
