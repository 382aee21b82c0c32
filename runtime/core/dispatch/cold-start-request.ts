import type { Dispatch } from './dispatch';
import { DispatchStatus } from './states';
import type { StreamChange } from '../stream-change';

/** The attribute whose arrival on a QUEUED dispatch asks the starter for a cold start. */
export const COLD_START_REQUESTED = 'coldStartRequestedAt';
/** The attribute whose arrival on such a dispatch asks again, once its workspace has its access point. */
export const WORKSPACE_READY = 'workspaceReadyAt';

/**
 * The dispatch a dispatches-table stream record asks the starter to start: one that is QUEUED and has just
 * been given `coldStartRequestedAt` (created with it, or updated to have it), or that has it and has just been
 * given `workspaceReadyAt` (its workspace's access point is made). Anything else, including a later change of
 * a dispatch already handed over, asks for nothing. The starter's event source filters the
 * stream the same way (`COLD_START_REQUESTS`, src/control-plane/cold-start-filters.ts), so this check is the one
 * that holds when the filter and the code disagree.
 */
export function coldStartRequest(change: StreamChange): Dispatch | undefined {
  if (change.eventName !== 'INSERT' && change.eventName !== 'MODIFY') {
    return undefined;
  }
  const { newImage: after, oldImage: before } = change;
  if (!after || after.status !== DispatchStatus.QUEUED || typeof after[COLD_START_REQUESTED] !== 'string') {
    return undefined;
  }
  const newly = (field: string) => after[field] !== undefined && before?.[field] === undefined;
  return newly(COLD_START_REQUESTED) || newly(WORKSPACE_READY) ? after as unknown as Dispatch : undefined;
}
