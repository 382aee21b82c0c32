import type { WorkspaceHoldDeps } from './workspace-deps';
import { staleHolderOf } from './workspace-locks';
import type { ApiError } from '../core/dispatch/api-error';
import type { Dispatch } from '../core/dispatch/dispatch';
import { newGeneration, type Workspace } from '../core/workspaces/workspace';

/** The dispatch may be written; the starter prepares the workspace for its run (`prepareWorkspace`). */
export interface HeldWorkspace {
  readonly kind: 'held';
  /**
   * Writes the dispatch while holding its workspace, and gives the workspace back when the write fails or
   * finds an earlier dispatch (an idempotent repeat): no run of this dispatch will ever give it back.
   */
  createDispatch<T extends { readonly created: boolean }>(write: () => Promise<T>): Promise<T>;
}

export type WorkspaceHold =
  | HeldWorkspace
  /** The request repeats one (same idempotency key) whose dispatch holds the workspace: that dispatch. */
  | { readonly kind: 'repeat'; readonly dispatch: Dispatch }
  | { readonly kind: 'refused'; readonly error: ApiError };

/** A release racing our acquisition can make it fail once more than the lock's state explains. */
const TAKE_ATTEMPTS = 3;

const EPHEMERAL: HeldWorkspace = { kind: 'held', createDispatch: (write) => write() };

/**
 * Takes the persistent workspace a new dispatch asks for (creating its record on first use), before the
 * dispatch is written: a busy workspace answers 409 with nothing written. An ephemeral workspace needs
 * nothing. Only DynamoDB is called here: the access point and task definition are the starter's
 * (`prepareWorkspace`). `deps` is undefined on a platform without persistent workspaces.
 */
export async function holdWorkspace(
  deps: WorkspaceHoldDeps | undefined,
  dispatch: Dispatch,
  idempotencyItemId?: string,
): Promise<WorkspaceHold> {
  if (dispatch.workspace.kind !== 'persistent') {
    return EPHEMERAL;
  }
  if (!deps) {
    return refused(422, 'PersistentWorkspacesUnavailable', 'Persistent workspaces are not available on this platform; use {"kind":"ephemeral"}.');
  }
  const taken = await take(deps, dispatch, dispatch.workspace.name, idempotencyItemId);
  if (taken.kind !== 'taken') {
    return taken;
  }
  const release = async () => {
    await deps.workspaces.release(dispatch.requester, taken.workspace.name, dispatch.id);
  };
  return {
    kind: 'held',
    async createDispatch(write) {
      let written;
      try {
        written = await write();
      } catch (error) {
        await release();
        throw error;
      }
      if (!written.created) {
        await release();
      }
      return written;
    },
  };
}

type Taken = { readonly kind: 'taken'; readonly workspace: Workspace } | Exclude<WorkspaceHold, HeldWorkspace>;

async function take(deps: WorkspaceHoldDeps, dispatch: Dispatch, name: string, idempotencyItemId?: string): Promise<Taken> {
  const { requester } = dispatch;
  const acquisition = {
    requester, name, dispatchId: dispatch.id, idempotencyItemId, uid: await deps.workspaces.uidOf(requester), generation: newGeneration(),
  };
  let current: Workspace | undefined;
  let staleHolder: string | undefined;
  for (let attempt = 0; attempt < TAKE_ATTEMPTS; attempt++) {
    const workspace = await deps.workspaces.acquire(acquisition, staleHolder);
    if (workspace) {
      return { kind: 'taken', workspace };
    }
    current = await deps.workspaces.get(requester, name);
    if (current?.deleting) {
      return refused(409, 'WorkspaceBusy', `The workspace "${name}" is being deleted.`);
    }
    if (!current?.inUseBy) {
      continue;
    }
    if (idempotencyItemId !== undefined && current.inUseKey === idempotencyItemId) {
      const earlier = await deps.dispatches.get(current.inUseBy);
      if (earlier) {
        return { kind: 'repeat', dispatch: earlier };
      }
    }
    staleHolder = await staleHolderOf(deps, current);
    if (!staleHolder) {
      break;
    }
  }
  const holder = current?.inUseBy ? ` by dispatch ${current.inUseBy}` : '';
  return refused(409, 'WorkspaceBusy', `The workspace "${name}" is in use${holder}; one dispatch at a time runs on a workspace.`);
}

function refused(status: 409 | 422, code: string, message: string): { readonly kind: 'refused'; readonly error: ApiError } {
  return { kind: 'refused', error: { status, code, field: 'workspace', message } };
}
