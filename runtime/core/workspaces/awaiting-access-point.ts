import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Workspace } from './workspace';
import { imageOf } from '../outbox/stream-transition';

/**
 * The workspace a workspaces-table stream record asks the provisioner to make an access point for: one held by a
 * dispatch, without an access point, not being deleted, whose `accessPointRequestedAt` has just been set or
 * changed (the starter asks again after a request that failed for good). Anything else, such as the release
 * of a workspace whose request is still pending, asks for nothing. The provisioner's event source filters the
 * stream to a superset of these (src/control-plane/workspace-provisioner-filters.ts).
 */
export function awaitingAccessPoint(record: DynamoDBRecord): (Workspace & { readonly inUseBy: string }) | undefined {
  if (record.eventName !== 'MODIFY' && record.eventName !== 'INSERT') {
    return undefined;
  }
  const after = imageOf(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined) as Workspace | undefined;
  const before = imageOf(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined) as Workspace | undefined;
  if (!after?.accessPointRequestedAt || after.accessPointId || after.deleting || !after.inUseBy) {
    return undefined;
  }
  return before?.accessPointRequestedAt === after.accessPointRequestedAt ? undefined : after as Workspace & { readonly inUseBy: string };
}
