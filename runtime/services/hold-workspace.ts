import type { WorkspaceDeps } from './workspace-deps';
import { staleHolderOf } from './workspace-locks';
import type { ApiError } from '../core/dispatch/api-error';
import type { Dispatch } from '../core/dispatch/dispatch';
import { accessPointRequest, WORKSPACE_TAG } from '../core/workspaces/access-point';
import { workspaceTaskDefinition } from '../core/workspaces/task-definition';
import { newGeneration, taskDefinitionFamily, type Workspace } from '../core/workspaces/workspace';

/** The dispatch may be written and started. */
export interface HeldWorkspace {
  readonly kind: 'held';
  /** The workspace's task definition for the dispatch's agent; absent for an ephemeral workspace. */
  readonly taskDefinitionArn?: string;
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
 * Takes the persistent workspace a new dispatch asks for (creating it, its access point and its task
 * definition for the agent on first use), before the dispatch is written: a busy workspace answers 409 with
 * nothing written. An ephemeral workspace needs nothing. `depsOf` is undefined on a platform without
 * persistent workspaces.
 */
export async function holdWorkspace(depsOf: () => WorkspaceDeps | undefined, dispatch: Dispatch, idempotencyItemId?: string): Promise<WorkspaceHold> {
  if (dispatch.workspace.kind !== 'persistent') {
    return EPHEMERAL;
  }
  const deps = depsOf();
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
  let taskDefinitionArn: string;
  try {
    taskDefinitionArn = await prepare(deps, taken.workspace, dispatch);
  } catch (error) {
    await release();
    throw error;
  }
  return {
    kind: 'held',
    taskDefinitionArn,
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

async function take(deps: WorkspaceDeps, dispatch: Dispatch, name: string, idempotencyItemId?: string): Promise<Taken> {
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

/** The workspace's access point and task definition for the dispatch's agent, made on first use. */
async function prepare(deps: WorkspaceDeps, workspace: Workspace, dispatch: Dispatch): Promise<string> {
  const { settings } = deps;
  let current = workspace;
  if (!current.accessPointId) {
    const accessPoint = await deps.accessPoints.create(accessPointRequest(settings.fileSystemId, current));
    current = stillHeld(await deps.workspaces.setAccessPoint(current, dispatch.id, accessPoint), dispatch);
  }
  const source = deps.agents[dispatch.agent].taskDefinitionArn;
  const known = current.taskDefinitions[dispatch.agent];
  if (known?.source === source) {
    return known.arn;
  }
  // First use by this agent, or the agent's task definition changed (a deploy): the revision it replaces stays
  // registered until the workspace is deleted, which deregisters the whole family.
  const arn = await deps.taskDefinitions.register(workspaceTaskDefinition(await deps.taskDefinitions.describe(source), {
    family: taskDefinitionFamily(settings.familyPrefix, dispatch.agent, current.uid, current.name),
    fileSystemId: settings.fileSystemId,
    accessPointId: current.accessPointId!,
    containerName: settings.containerName,
    mountPath: settings.mountPath,
    tags: [{ key: WORKSPACE_TAG, value: `${current.uid}/${current.name}` }],
  }));
  stillHeld(await deps.workspaces.setTaskDefinition(current, dispatch.id, dispatch.agent, { arn, source }), dispatch);
  return arn;
}

function stillHeld(workspace: Workspace | null, dispatch: Dispatch): Workspace {
  if (!workspace) {
    throw new Error(`dispatch ${dispatch.id} lost its workspace while preparing it`);
  }
  return workspace;
}

function refused(status: 409 | 422, code: string, message: string): { readonly kind: 'refused'; readonly error: ApiError } {
  return { kind: 'refused', error: { status, code, field: 'workspace', message } };
}
