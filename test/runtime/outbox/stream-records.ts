import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { streamChange } from '../../../runtime/adapters/stream-change';
import type { StreamChange } from '../../../runtime/core/stream-change';
import { TABLE_NAMES, TABLES } from '../dispatch/support/platform-tables';

/** The tables with a stream, the one with the most key attributes first, for `keysOf`. */
const STREAMED = (['workspaces', 'pool', 'dispatches'] as const).map((table) => ({
  table,
  keys: TABLES[table].KeySchema!.map((key) => key.AttributeName!),
}));

let sequence = 0;

/**
 * A stream record of one of the platform's tables (NEW_AND_OLD_IMAGES) in the shape Lambda passes it: that of
 * the Lambda developer guide's example event (test/support/fixtures/dynamodb-stream-event.json; stream-records.test.ts
 * holds the two, and what moto's real stream gives, alike). Its `Keys` and `eventSourceARN` are those of the
 * table whose key schema (the construct's) the item has; the sequence number is the next one unless given.
 */
export function streamRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', before?: object, after?: object, sequenceNumber?: string): DynamoDBRecord {
  const { table, keys } = keysOf((after ?? before) as Record<string, unknown>);
  const image = (item?: object) => item && (marshall(item, { removeUndefinedValues: true }) as any);
  const SequenceNumber = sequenceNumber ?? `${++sequence}`;
  const dynamodb = {
    Keys: image(Object.fromEntries(keys.map((key) => [key, ((after ?? before) as Record<string, unknown>)[key]]))),
    ...(before && { OldImage: image(before) }),
    ...(after && { NewImage: image(after) }),
    SequenceNumber,
    StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
  };
  return {
    eventID: SequenceNumber,
    eventVersion: '1.0',
    dynamodb: { ...dynamodb, SizeBytes: JSON.stringify(dynamodb).length },
    awsRegion: 'us-east-1',
    eventName,
    eventSourceARN: `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE_NAMES[table]}/stream/2026-11-24T10:00:00.000`,
    eventSource: 'aws:dynamodb',
  };
}

/** The same record as the core reads it: read off Lambda's shape by the adapter the handlers use. */
export function streamChangeOf(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', before?: object, after?: object): StreamChange {
  return streamChange(streamRecord(eventName, before, after));
}

/** The streamed table whose key attributes `item` all has; none, it throws naming them. */
function keysOf(item: Record<string, unknown> | undefined): (typeof STREAMED)[number] {
  const found = STREAMED.find(({ keys }) => keys.every((key) => item?.[key] !== undefined));
  if (!found) {
    throw new Error(`streamRecord: the item has the key of no streamed table (${STREAMED.map(({ table, keys }) => `${table}: ${keys.join('+')}`).join(', ')})`);
  }
  return found;
}
