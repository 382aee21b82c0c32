import type { Workspace } from './workspace';
import type { StreamChange } from '../stream-change';

/**
 * The workspace a workspaces-table stream record asks the provisioner to make an access point for: one held by a
 * dispatch, without an access point, not being deleted, whose `accessPointRequestedAt` has just been set or
 * changed (the starter asks again after a request that failed for good). Anything else, such as the release
 * of a workspace whose request is still pending, asks for nothing. The provisioner's event source filters the
 * stream to a superset of these (src/control-plane/workspace-provisioner-filters.ts).
 */
export function awaitingAccessPoint(change: StreamChange): (Workspace & { readonly inUseBy: string }) | undefined {
  if (change.eventName !== 'MODIFY' && change.eventName !== 'INSERT') {
    return undefined;
  }
  const after = change.newImage as Workspace | undefined;
  const before = change.oldImage as Workspace | undefined;
  if (!after?.accessPointRequestedAt || after.accessPointId || after.deleting || !after.inUseBy) {
    return undefined;
  }
  return before?.accessPointRequestedAt === after.accessPointRequestedAt ? undefined : after as Workspace & { readonly inUseBy: string };
}
