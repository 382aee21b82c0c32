import type { DynamoDBRecord } from 'aws-lambda';
import type { ProvisionDeps } from './workspace-deps';
import { streamChange } from '../adapters/stream-change';
import { accessPointRequest } from '../core/workspaces/access-point';
import { awaitingAccessPoint } from '../core/workspaces/awaiting-access-point';
import type { Workspace } from '../core/workspaces/workspace';

/**
 * The workspace provisioner's work for a workspace awaiting its access point (`awaitingAccessPoint`): make the
 * access point (its client token names the workspace, so a repeat finds the first), record it on the workspace
 * while the same dispatch still holds it, and mark that dispatch `workspaceReadyAt`, which brings it back to the
 * starter. A dispatch that gave the workspace back meanwhile leaves the access point unrecorded: the next
 * request of the same workspace finds it by its client token. Answers whether the access point was recorded.
 */
export async function provisionAccessPoint(deps: ProvisionDeps, workspace: Workspace & { readonly inUseBy: string }): Promise<boolean> {
  const accessPoint = await deps.accessPoints.create(accessPointRequest(deps.settings.fileSystemId, workspace));
  if (!await deps.workspaces.setAccessPoint(workspace, workspace.inUseBy, accessPoint)) {
    return false;
  }
  await deps.dispatches.markWorkspaceReady(workspace.inUseBy, deps.now());
  return true;
}

/** The workspace a record of the workspaces table's stream leaves awaiting its access point, if any. */
export function workspaceAwaitingAccessPoint(record: DynamoDBRecord): (Workspace & { readonly inUseBy: string }) | undefined {
  return awaitingAccessPoint(streamChange(record));
}
