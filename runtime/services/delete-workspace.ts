import type { WorkspaceDeps } from './workspace-deps';
import { staleHolderOf } from './workspace-locks';
import type { AuditLog } from '../adapters/audit-log';
import type { DispatchEvents } from '../adapters/dispatch-events';
import type { ApiError } from '../core/dispatch/api-error';
import { workspaceDeleted, workspaceDeletedAuditRecord, workspaceDeletedEntry } from '../core/workspaces/events';
import { taskDefinitionFamily, type Workspace } from '../core/workspaces/workspace';

/** Deleting also announces and audits. */
export interface DeletionDeps extends WorkspaceDeps {
  readonly events: DispatchEvents;
  readonly audit: AuditLog;
}

export type DeleteOutcome = { readonly ok: true; readonly workspace: Workspace } | { readonly ok: false; readonly error: ApiError };

const NOT_FOUND: DeleteOutcome = { ok: false, error: { status: 404, code: 'NotFound', field: 'name', message: 'No workspace with that name is visible to you.' } };

/**
 * Deletes a workspace that no dispatch is using: marks it as being deleted (so no dispatch takes it), then
 * deletes its access point (no task can mount it from here on) and its task definitions, announces it
 * (`Workspace Deleted`, on which the workspace cleaner removes its files), audits it and removes its record.
 * Each step may be repeated, so a deletion that failed part-way completes when asked again.
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
  if (workspace.accessPointId) {
    await deps.accessPoints.delete(workspace.accessPointId);
  }
  // Every agent of the platform, not only those the item lists: a registration whose recording failed leaves
  // a revision the item does not name.
  for (const agent of new Set([...Object.keys(deps.agents), ...Object.keys(workspace.taskDefinitions)])) {
    await deps.taskDefinitions.deregisterFamily(taskDefinitionFamily(deps.settings.familyPrefix, agent, workspace.uid, workspace.name));
  }
  const event = workspaceDeleted(workspace, deps.now(), deletedBy);
  await deps.events.publishEntry(workspaceDeletedEntry(event));
  await deps.audit.append(workspaceDeletedAuditRecord(event));
  await deps.workspaces.remove(requester, name);
  return { ok: true, workspace };
}

function busy(workspace: Workspace): DeleteOutcome {
  const holder = workspace.inUseBy ? ` by dispatch ${workspace.inUseBy}` : '';
  return { ok: false, error: { status: 409, code: 'WorkspaceBusy', field: 'name', message: `The workspace "${workspace.name}" is in use${holder}; delete it once the run is over.` } };
}
