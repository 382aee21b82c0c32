import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamChange } from '../core/stream-change';

/** A Lambda DynamoDB stream record as the core reads it: its images unmarshalled from DynamoDB's attribute values. */
export function streamChange(record: DynamoDBRecord): StreamChange {
  return {
    eventName: record.eventName,
    newImage: plainImage(record.dynamodb?.NewImage),
    oldImage: plainImage(record.dynamodb?.OldImage),
  };
}

function plainImage(image: unknown): Record<string, unknown> | undefined {
  return image ? unmarshall(image as Record<string, AttributeValue>) : undefined;
}
