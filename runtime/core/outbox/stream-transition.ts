import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

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

/**
 * The transition a stream record carries, or undefined when it carries none: creations (a dispatch is
 * QUEUED from the start; its first transition follows), idempotency items, changes that kept the status (a
 * result or cost added later), and deletions (which the platform never makes).
 */
export function streamTransition(record: DynamoDBRecord): StreamTransition | undefined {
  if (record.eventName === 'REMOVE') {
    return undefined;
  }
  const after = imageOf(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
  const before = imageOf(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined);
  if (!after || typeof after.status !== 'string' || String(after.id).startsWith('idem#')) {
    return undefined;
  }
  if (typeof before?.status !== 'string' || before.status === after.status) {
    return undefined;
  }
  return {
    dispatchId: String(after.id),
    agent: String(after.agent),
    requester: String(after.requester),
    from: before.status,
    to: after.status,
    at: String(after.updatedAt ?? after.createdAt),
    ...(typeof after.error === 'string' && { reason: after.error }),
  };
}
