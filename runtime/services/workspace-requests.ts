import { deleteWorkspace, type DeletionDeps } from './delete-workspace';
import type { Caller } from '../core/api/caller';
import type { ApiError } from '../core/dispatch/api-error';
import { toWorkspaceView } from '../core/workspaces/workspace';
import type { WorkspaceRequest } from '../core/workspaces/workspace-request';

export type WorkspaceAnswer =
  | { readonly ok: true; readonly status: 200 | 202; readonly body: unknown }
  | { readonly ok: false; readonly error: ApiError };

/** The workspaces routes: list a requester's workspaces, or delete one (`deleteWorkspace`), on behalf of `caller`. */
export async function answerWorkspaceRequest(deps: DeletionDeps, caller: Caller, request: WorkspaceRequest): Promise<WorkspaceAnswer> {
  if (request.kind === 'list') {
    return { ok: true, status: 200, body: { items: (await deps.workspaces.list(request.requester)).map(toWorkspaceView) } };
  }
  const outcome = await deleteWorkspace(deps, request.requester, request.name, caller.id);
  return outcome.ok ? { ok: true, status: 202, body: toWorkspaceView(outcome.workspace) } : outcome;
}
