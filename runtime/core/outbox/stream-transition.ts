import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { DISPATCH_STATUSES, transitionPath, type DispatchStatus } from '../dispatch/states';

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

type Image = Record<string, unknown>;

/** A stream record's image as plain values. */
export const imageOf = (image: Record<string, unknown> | undefined): Image | undefined =>
  image ? unmarshall(image as Record<string, AttributeValue>) : undefined;

const isStatus = (value: unknown): value is DispatchStatus => DISPATCH_STATUSES.includes(value as DispatchStatus);

/**
 * The transitions a stream record carries, in order: none for creations (a dispatch is QUEUED from the
 * start; its first transition follows), idempotency items, changes that kept the status (a result or cost
 * added later), and deletions (which the platform never makes); one per move otherwise, several when one
 * write made several moves (a warm start goes QUEUED → STARTING → RUNNING at once). The reason belongs to
 * the last move.
 */
export function streamTransitions(record: DynamoDBRecord): StreamTransition[] {
  if (record.eventName === 'REMOVE') {
    return [];
  }
  const after = imageOf(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
  const before = imageOf(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined);
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
export function streamDispatchId(record: DynamoDBRecord): string | undefined {
  const id = imageOf(record.dynamodb?.NewImage ?? record.dynamodb?.OldImage)?.id;
  return typeof id === 'string' && !id.startsWith('idem#') ? id : undefined;
}
