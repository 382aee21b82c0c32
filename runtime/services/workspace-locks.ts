import type { WorkspaceDeps } from './workspace-deps';
import { isStaleLock } from '../core/workspaces/lock';
import type { Workspace } from '../core/workspaces/workspace';

/** The dispatch holding `workspace` if its lock is stale (core/workspaces/lock.ts), so that it may be taken over. */
export async function staleHolderOf(deps: Pick<WorkspaceDeps, 'dispatches' | 'now'>, workspace: Workspace): Promise<string | undefined> {
  const holder = workspace.inUseBy;
  if (!holder) {
    return undefined;
  }
  const dispatch = await deps.dispatches.get(holder);
  return isStaleLock(dispatch, workspace.inUseSince ?? workspace.lastUsedAt, deps.now()) ? holder : undefined;
}
