import type { WorkspaceDeps } from './workspace-deps';
import type { Dispatch } from '../core/dispatch/dispatch';
import { accessPointRequest, WORKSPACE_TAG } from '../core/workspaces/access-point';
import { workspaceTaskDefinition } from '../core/workspaces/task-definition';
import { taskDefinitionFamily, type Workspace } from '../core/workspaces/workspace';

/** The task definition a dispatch's run mounts its workspace with, or why it cannot run on it. */
export type PreparedWorkspace = { readonly ok: true; readonly taskDefinitionArn: string } | { readonly ok: false; readonly reason: string };

/**
 * The persistent workspace's access point and its task definition for the dispatch's agent, made on first use
 * (by the starter, before it starts the dispatch's task). Only the dispatch that holds the workspace may: one
 * whose hold is gone (the dispatch ended meanwhile, and gave it back) gets a reason instead.
 */
export async function prepareWorkspace(deps: WorkspaceDeps, dispatch: Dispatch): Promise<PreparedWorkspace> {
  if (dispatch.workspace.kind !== 'persistent') {
    throw new Error(`dispatch ${dispatch.id} has no persistent workspace to prepare`);
  }
  const { settings } = deps;
  const lost: PreparedWorkspace = { ok: false, reason: `the dispatch no longer holds its workspace "${dispatch.workspace.name}"` };
  let current = await deps.workspaces.get(dispatch.requester, dispatch.workspace.name) ?? null;
  if (current?.inUseBy !== dispatch.id) {
    return lost;
  }
  if (!current.accessPointId) {
    const accessPoint = await deps.accessPoints.create(accessPointRequest(settings.fileSystemId, current));
    current = await deps.workspaces.setAccessPoint(current, dispatch.id, accessPoint);
    if (!current) {
      return lost;
    }
  }
  const source = deps.agents[dispatch.agent].taskDefinitionArn;
  const known = current.taskDefinitions[dispatch.agent];
  if (known?.source === source) {
    return { ok: true, taskDefinitionArn: known.arn };
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
  return recorded ? { ok: true, taskDefinitionArn: arn } : lost;
}
