import { DISPATCH_STATUSES, transitionPath, type DispatchStatus } from '../dispatch/states';
import type { StreamChange } from '../stream-change';

/** A dispatch's change of status, as the table's stream recorded it. */
export interface StreamTransition {
  readonly dispatchId: string;
  readonly agent: string;
  readonly requester: string;
  readonly from: string;
  readonly to: string;
  readonly at: string;
  readonly reason?: string;
}

const isStatus = (value: unknown): value is DispatchStatus => DISPATCH_STATUSES.includes(value as DispatchStatus);

/**
 * The transitions a stream record carries, in order: none for creations (a dispatch is QUEUED from the
 * start; its first transition follows), idempotency items, changes that kept the status (a result or cost
 * added later), and deletions (which the platform never makes); one per move otherwise, several when one
 * write made several moves (a warm start goes QUEUED → STARTING → RUNNING at once). The reason belongs to
 * the last move.
 */
export function streamTransitions(change: StreamChange): StreamTransition[] {
  if (change.eventName === 'REMOVE') {
    return [];
  }
  const { newImage: after, oldImage: before } = change;
  if (!after || !isStatus(after.status) || String(after.id).startsWith('idem#') || !isStatus(before?.status)) {
    return [];
  }
  const path = transitionPath(before.status, after.status);
  const at = String(after.updatedAt ?? after.createdAt);
  return path.map((to, step) => ({
    dispatchId: String(after.id),
    agent: String(after.agent),
    requester: String(after.requester),
    from: step === 0 ? before.status as string : path[step - 1],
    to,
    at,
    ...(step === path.length - 1 && typeof after.statusReason === 'string' && { reason: after.statusReason }),
  }));
}

/** The dispatch a stream record is about (its correlation id in the logs); undefined for idempotency items. */
export function streamDispatchId(change: StreamChange): string | undefined {
  const id = (change.newImage ?? change.oldImage)?.id;
  return typeof id === 'string' && !id.startsWith('idem#') ? id : undefined;
}
