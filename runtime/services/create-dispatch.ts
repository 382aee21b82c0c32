import { holdWorkspace } from './hold-workspace';
import type { LifecycleDeps } from './lifecycle-deps';
import { createAndStart } from './start-dispatch';
import type { WorkspaceHoldDeps } from './workspace-deps';
import type { ApiError } from '../core/dispatch/api-error';
import type { Dispatch } from '../core/dispatch/dispatch';

export type DispatchCreation =
  /** `created` is false for a repeated idempotency key: `dispatch` is the one the key made. */
  | { readonly ok: true; readonly created: boolean; readonly dispatch: Dispatch }
  | { readonly ok: false; readonly error: ApiError };

/**
 * `POST /dispatch` once the request is valid: hold the persistent workspace the dispatch asks for
 * (`holdWorkspace`), then record the dispatch and start it warm or hand it to the starter (`createAndStart`).
 * `workspaces` is undefined on a platform without persistent workspaces.
 */
export async function createDispatch(
  deps: LifecycleDeps, workspaces: WorkspaceHoldDeps | undefined, dispatch: Dispatch, idempotencyItemId?: string,
): Promise<DispatchCreation> {
  const workspace = await holdWorkspace(workspaces, dispatch, idempotencyItemId);
  if (workspace.kind === 'refused') {
    return { ok: false, error: workspace.error };
  }
  if (workspace.kind === 'repeat') {
    return { ok: true, created: false, dispatch: workspace.dispatch };
  }
  const started = await createAndStart(deps, dispatch, idempotencyItemId, workspace);
  return { ok: true, created: started.created, dispatch: started.dispatch };
}
