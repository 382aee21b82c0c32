import type { WorkspaceDeps } from './workspace-deps';
import { workspaceTaskDefinition } from '../adapters/workspace-task-definition-input';
import type { Dispatch } from '../core/dispatch/dispatch';
import { WORKSPACE_TAG } from '../core/workspaces/access-point';
import { taskDefinitionFamily, type Workspace } from '../core/workspaces/workspace';

/**
 * The task definition a dispatch's run mounts its workspace with; or that the workspace awaits its access point
 * (asked of the workspace provisioner, which marks the dispatch `workspaceReadyAt` once it is made); or why the
 * dispatch cannot run on it.
 */
export type PreparedWorkspace =
  | { readonly kind: 'ready'; readonly taskDefinitionArn: string }
  | { readonly kind: 'awaiting-access-point' }
  | { readonly kind: 'lost'; readonly reason: string };

/**
 * The persistent workspace's task definition for the dispatch's agent, registered on first use (by the starter,
 * before it starts the dispatch's task) once the workspace has its access point; without one, the access point
 * is asked of the workspace provisioner (runtime/services/provision-access-point.ts), which has the EFS client the
 * starter does without. Only the dispatch that holds the workspace may: one whose hold is gone (the dispatch
 * ended meanwhile, and gave it back) gets a reason instead.
 */
export async function prepareWorkspace(deps: WorkspaceDeps, dispatch: Dispatch): Promise<PreparedWorkspace> {
  if (dispatch.workspace.kind !== 'persistent') {
    throw new Error(`dispatch ${dispatch.id} has no persistent workspace to prepare`);
  }
  const { settings } = deps;
  const lost: PreparedWorkspace = { kind: 'lost', reason: `the dispatch no longer holds its workspace "${dispatch.workspace.name}"` };
  const current = await deps.workspaces.get(dispatch.requester, dispatch.workspace.name);
  if (current?.inUseBy !== dispatch.id) {
    return lost;
  }
  if (!current.accessPointId) {
    return await deps.workspaces.requestAccessPoint(current, dispatch.id, deps.now()) ? { kind: 'awaiting-access-point' } : lost;
  }
  const source = deps.agents[dispatch.agent].taskDefinitionArn;
  const known = current.taskDefinitions[dispatch.agent];
  if (known?.source === source) {
    return { kind: 'ready', taskDefinitionArn: known.arn };
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
  const recorded: Workspace | null = await deps.workspaces.setTaskDefinition(current, dispatch.id, dispatch.agent, { arn, source });
  return recorded ? { kind: 'ready', taskDefinitionArn: arn } : lost;
}
