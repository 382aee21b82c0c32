/**
 * One change to a platform table as the table's stream reported it (NEW_AND_OLD_IMAGES), with the item's images
 * as plain values: what the core decides on. runtime/adapters/stream-change.ts reads one off a Lambda stream
 * record, so that the core knows nothing of DynamoDB's attribute-value encoding.
 */
export interface StreamChange {
  readonly eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** The item after the change; absent for a removal. */
  readonly newImage?: Readonly<Record<string, unknown>>;
  /** The item before the change; absent for a creation. */
  readonly oldImage?: Readonly<Record<string, unknown>>;
}
