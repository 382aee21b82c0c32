import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

/** A record as DynamoDB Streams' GetRecords answers it (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html). */
interface StreamsApiRecord {
  readonly eventID: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly eventVersion: string;
  readonly eventSource: string;
  readonly awsRegion: string;
  readonly dynamodb: Record<string, unknown>;
  readonly userIdentity?: unknown;
}

/**
 * A record of GetRecords as Lambda passes it to a function: the same record with `eventSourceARN`, the
 * stream's ARN, added; `eventID`, `eventName`, `eventVersion`, `eventSource` ("aws:dynamodb"), `awsRegion` and
 * `dynamodb` (Keys, images in DynamoDB JSON, SequenceNumber, SizeBytes, StreamViewType, ApproximateCreationDateTime
 * in epoch seconds) as the stream gave them. That is the shape of the Lambda developer guide's "Example DynamoDB
 * Streams record event" (fixtures/dynamodb-stream-event.json, held to it by test/runtime/outbox/stream-records.test.ts).
 */
function asLambdaRecord(record: StreamsApiRecord, streamArn: string): DynamoDBRecord {
  return { ...record, eventSourceARN: streamArn } as DynamoDBRecord;
}

/**
 * The table's stream in moto, read as a Lambda event source mapping with `StartingPosition: TRIM_HORIZON`
 * reads it: from the first record, each shard's position kept (its last sequence number read, Lambda's
 * checkpoint), so each `read()` answers only the records written since the last one, in the stream's order.
 * Each read takes a fresh iterator after that position instead of keeping moto's NextShardIterator: when
 * moto cancels a transaction it puts back a copy of the table, stream included, and an iterator taken
 * before would keep reading the discarded stream (with the cancelled write in it, and none of the later ones).
 */
export class TableStream {
  /** The stream of `tableName` (DescribeTable's LatestStreamArn), read through moto at `endpoint`; a table without one throws. */
  public static async of(dynamodb: DynamoDBClient, tableName: string, endpoint: string): Promise<TableStream> {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.LatestStreamArn || !Table.StreamSpecification?.StreamEnabled) {
      throw new Error(`table ${tableName} has no stream: create it with the StreamSpecification the construct gives it`);
    }
    return new TableStream(Table.LatestStreamArn, new StreamsApi(endpoint, await dynamodb.config.region()));
  }

  /** The last sequence number read, by shard. */
  private readonly positions = new Map<string, string>();

  private constructor(public readonly arn: string, private readonly api: StreamsApi) {}

  /** Every record written since the last read, as Lambda would pass them. */
  public async read(): Promise<DynamoDBRecord[]> {
    const { StreamDescription } = await this.api.call<{ StreamDescription: { Shards: Array<{ ShardId: string }> } }>('DescribeStream', { StreamArn: this.arn });
    const records: DynamoDBRecord[] = [];
    for (const { ShardId } of StreamDescription.Shards) {
      const position = this.positions.get(ShardId);
      let { ShardIterator: iterator } = await this.api.call<{ ShardIterator: string }>('GetShardIterator', {
        StreamArn: this.arn, ShardId, ...(position ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: position } : { ShardIteratorType: 'TRIM_HORIZON' }),
      });
      for (;;) {
        const page = await this.api.call<{ Records: StreamsApiRecord[]; NextShardIterator: string }>('GetRecords', { ShardIterator: iterator });
        if (page.Records.length === 0) {
          break;
        }
        records.push(...page.Records.map((record) => asLambdaRecord(record, this.arn)));
        this.positions.set(ShardId, page.Records[page.Records.length - 1].dynamodb.SequenceNumber as string);
        iterator = page.NextShardIterator;
      }
    }
    return withoutKeyOnlyInserts(records);
  }
}

/**
 * The records without moto's extra one for an UpdateItem that creates its item: moto puts the key alone
 * first (an INSERT whose NewImage is the Keys) and then records the update as a second INSERT of the same
 * key, where DynamoDB records one INSERT of the item as written.
 */
function withoutKeyOnlyInserts(records: DynamoDBRecord[]): DynamoDBRecord[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return records.filter((record, index) => {
    const next = records[index + 1];
    const keyOnly = record.eventName === 'INSERT' && same(record.dynamodb?.NewImage, record.dynamodb?.Keys);
    return !(keyOnly && next?.eventName === 'INSERT' && same(next.dynamodb?.Keys, record.dynamodb?.Keys));
  });
}

/**
 * A DynamoDB Streams API call (JSON 1.0, `X-Amz-Target: DynamoDBStreams_20120810.<operation>`) to moto, as the
 * SDK's DynamoDBStreamsClient would send it: the project has no dependency on that client, and moto routes the
 * call by its target. moto reads the Region from the credential scope and checks no signature.
 */
class StreamsApi {
  constructor(private readonly endpoint: string, private readonly region: string) {}

  public async call<T>(operation: string, input: object): Promise<T> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': `DynamoDBStreams_20120810.${operation}`,
        'Authorization': `AWS4-HMAC-SHA256 Credential=outpost-local/20260101/${this.region}/dynamodb/aws4_request, SignedHeaders=host, Signature=unchecked`,
      },
      body: JSON.stringify(input),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`DynamoDB Streams ${operation} answered ${response.status}: ${text}`);
    }
    return JSON.parse(text) as T;
  }
}

