import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Dispatch } from './dispatch';
import { DispatchStatus } from './states';
import { imageOf } from '../outbox/stream-transition';

/** The attribute whose arrival on a QUEUED dispatch asks the starter for a cold start. */
export const COLD_START_REQUESTED = 'coldStartRequestedAt';
/** The attribute whose arrival on such a dispatch asks again, once its workspace has its access point. */
export const WORKSPACE_READY = 'workspaceReadyAt';

/**
 * The dispatch a dispatches-table stream record asks the starter to start: one that is QUEUED and has just
 * been given `coldStartRequestedAt` (created with it, or updated to have it), or that has it and has just been
 * given `workspaceReadyAt` (its workspace's access point is made). Anything else, including a later change of
 * a dispatch already handed over, asks for nothing. The starter's event source filters the
 * stream the same way (src/control-plane/dispatch-starter.ts), so this check is the one that holds when the
 * filter and the code disagree.
 */
export function coldStartRequest(record: DynamoDBRecord): Dispatch | undefined {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') {
    return undefined;
  }
  const after = imageOf(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
  const before = imageOf(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined);
  if (!after || after.status !== DispatchStatus.QUEUED || typeof after[COLD_START_REQUESTED] !== 'string') {
    return undefined;
  }
  const newly = (field: string) => after[field] !== undefined && before?.[field] === undefined;
  return newly(COLD_START_REQUESTED) || newly(WORKSPACE_READY) ? after as unknown as Dispatch : undefined;
}
