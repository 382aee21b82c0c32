import { isFinal, type DispatchStatus } from '../dispatch/states';
import { streamTransitions } from '../outbox/stream-transition';
import type { StreamChange } from '../stream-change';

/** A workspace to give back: the dispatch that held it is over. */
export interface WorkspaceRelease {
  readonly requester: string;
  readonly name: string;
  readonly dispatchId: string;
}

/**
 * The workspace a dispatches-table stream record frees, if any: that of a persistent dispatch which became
 * final without ever having a task (it could not start, or was cancelled while queued). One that had a task
 * frees its workspace when the task has stopped (task-stopped), since a cancelled or timed-out task still
 * writes to it while it stops.
 */
export function releasedWithoutTask(change: StreamChange): WorkspaceRelease | undefined {
  const transition = streamTransitions(change).pop();
  if (!transition || !isFinal(transition.to as DispatchStatus)) {
    return undefined;
  }
  const after = change.newImage!;
  const workspace = after.workspace as { kind?: unknown; name?: unknown } | undefined;
  if (workspace?.kind !== 'persistent' || typeof workspace.name !== 'string' || after.taskArn !== undefined) {
    return undefined;
  }
  return { requester: transition.requester, name: workspace.name, dispatchId: transition.dispatchId };
}
