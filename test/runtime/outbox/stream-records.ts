import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

/** A dispatches-table stream record (NEW_AND_OLD_IMAGES), as Lambda delivers it. */
export function streamRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', before?: object, after?: object, sequenceNumber?: string): DynamoDBRecord {
  return {
    eventName,
    dynamodb: {
      ...(sequenceNumber && { SequenceNumber: sequenceNumber }),
      ...(before && { OldImage: marshall(before, { removeUndefinedValues: true }) as any }),
      ...(after && { NewImage: marshall(after, { removeUndefinedValues: true }) as any }),
    },
  };
}
