import type { WorkspaceDeps } from './workspace-deps';
import { staleHolderOf } from './workspace-locks';
import type { AuditLog } from '../adapters/audit-log';
import type { DispatchEvents } from '../adapters/dispatch-events';
import type { ApiError } from '../core/dispatch/api-error';
import { workspaceDeleted, workspaceDeletedAuditRecord, workspaceDeletedEntry } from '../core/workspaces/events';
import type { Workspace } from '../core/workspaces/workspace';

/** Deleting marks the item, announces and audits: no ECS or EFS call (the workspace cleaner makes those). */
export interface DeletionDeps extends Pick<WorkspaceDeps, 'workspaces' | 'dispatches' | 'now'> {
  readonly events: DispatchEvents;
  readonly audit: AuditLog;
}

export type DeleteOutcome = { readonly ok: true; readonly workspace: Workspace } | { readonly ok: false; readonly error: ApiError };

const NOT_FOUND: DeleteOutcome = { ok: false, error: { status: 404, code: 'NotFound', field: 'name', message: 'No workspace with that name is visible to you.' } };

/**
 * Deletes a workspace that no dispatch is using: marks it as being deleted (from then on no dispatch takes it,
 * and the name cannot be made again), announces it (`Workspace Deleted`, on which the workspace cleaner deletes
 * its access point, task definitions and files, and removes its item) and audits it. Asking again while it is
 * being deleted announces it again, which starts the cleaner once more (after its events went to the
 * dead-letter queue, say): each of its steps may be repeated.
 */
export async function deleteWorkspace(deps: DeletionDeps, requester: string, name: string, deletedBy: string): Promise<DeleteOutcome> {
  const current = await deps.workspaces.get(requester, name);
  if (!current) {
    return NOT_FOUND;
  }
  const staleHolder = await staleHolderOf(deps, current);
  const workspace = current.inUseBy && !staleHolder ? null : await deps.workspaces.markDeleting(requester, name, staleHolder);
  if (!workspace) {
    const now = await deps.workspaces.get(requester, name);
    return now ? busy(now) : NOT_FOUND;
  }
  const event = workspaceDeleted(workspace, deps.now(), deletedBy);
  await deps.events.publishEntry(workspaceDeletedEntry(event));
  await deps.audit.append(workspaceDeletedAuditRecord(event));
  return { ok: true, workspace };
}

function busy(workspace: Workspace): DeleteOutcome {
  const holder = workspace.inUseBy ? ` by dispatch ${workspace.inUseBy}` : '';
  return { ok: false, error: { status: 409, code: 'WorkspaceBusy', field: 'name', message: `The workspace "${workspace.name}" is in use${holder}; delete it once the run is over.` } };
}
