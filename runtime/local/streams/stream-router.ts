import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import type { TableStream } from './table-stream';
import type { FunctionHost, InvocationOutcome } from '../functions/function-host';
import type { PatternMatcher } from '../moto/pattern-matcher';
import type { StreamMappingWiring } from '../template/wiring';

export interface StreamRouterOptions {
  readonly mapping: StreamMappingWiring;
  readonly stream: TableStream;
  readonly host: FunctionHost;
  readonly matcher: PatternMatcher;
  readonly sqs: SQSClient;
  /** The on-failure destination's queue URL, when the mapping has one. */
  readonly onFailureQueueUrl?: string;
  readonly log: (line: string) => void;
  /** Waits between retries of a failed batch (Lambda backs off too). @default 200 ms × attempt, at most 5 s */
  readonly retryDelayMs?: (attempt: number) => number;
}

/**
 * One DynamoDB stream event source mapping, played as Lambda plays it
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html): records in stream order, those passing none of
 * the filters dropped (moto's EventBridge engine decides), batches of at most `BatchSize`, a failed batch retried
 * (bisected when `BisectBatchOnFunctionError`), partial batch responses honoured (`ReportBatchItemFailures`:
 * the batch is retried from the first failed record), records older than `MaximumRecordAgeInSeconds` discarded,
 * and a batch that exhausts `MaximumRetryAttempts` sent to the on-failure destination in Lambda's documented shape.
 */
export class StreamRouter {
  private pending: DynamoDBRecord[] = [];

  constructor(private readonly options: StreamRouterOptions) {}

  /** For `StartingPosition: LATEST`: forget what the stream already holds. */
  public async skipToLatest(): Promise<void> {
    await this.options.stream.read();
  }

  /** Reads what was written since the last poll and delivers it; answers how many records reached the function. */
  public async poll(): Promise<number> {
    const { mapping, matcher } = this.options;
    for (const record of await this.options.stream.read()) {
      if (mapping.filters.length === 0 || await matcher.matchesAny(mapping.filters, record)) {
        this.pending.push(record);
      }
    }
    let delivered = 0;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, mapping.batchSize);
      delivered += await this.deliver(batch);
    }
    return delivered;
  }

  private async deliver(batch: DynamoDBRecord[]): Promise<number> {
    const { mapping } = this.options;
    let records = this.fresh(batch);
    let attempt = 0;
    while (records.length > 0) {
      const outcome = await this.options.host.invoke({ Records: records });
      const failedAt = this.firstFailure(outcome, records);
      if (failedAt === undefined) {
        return batch.length;
      }
      records = records.slice(failedAt);
      attempt += 1;
      if (mapping.maximumRetryAttempts >= 0 && attempt > mapping.maximumRetryAttempts) {
        await this.discard(records, 'RetryAttemptsExhausted', attempt, outcome);
        return batch.length - records.length;
      }
      this.options.log(`${mapping.function}: batch of ${records.length} failed (${describe(outcome)}); retry ${attempt}`);
      if (mapping.bisectBatchOnFunctionError && records.length > 1 && !outcome.ok) {
        const half = Math.ceil(records.length / 2);
        this.pending.unshift(...records.slice(half));
        records = records.slice(0, half);
      }
      await new Promise((resolve) => setTimeout(resolve, (this.options.retryDelayMs ?? defaultDelay)(attempt)));
      records = this.fresh(records);
    }
    return batch.length;
  }

  /** The index of the first record to retry, or undefined when the batch succeeded. */
  private firstFailure(outcome: InvocationOutcome, records: DynamoDBRecord[]): number | undefined {
    if (!outcome.ok) {
      return 0;
    }
    if (!this.options.mapping.reportBatchItemFailures) {
      return undefined;
    }
    const failures = (outcome.result as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | null)?.batchItemFailures ?? [];
    if (failures.length === 0) {
      return undefined;
    }
    const indexes = failures.map((failure) => records.findIndex((record) => record.dynamodb?.SequenceNumber === failure.itemIdentifier));
    // Lambda treats an identifier it cannot find (or an empty one) as a failure of the whole batch.
    return indexes.some((index) => index < 0) ? 0 : Math.min(...indexes);
  }

  /** The records young enough to deliver; older ones go to the on-failure destination, as Lambda discards them. */
  private fresh(records: DynamoDBRecord[]): DynamoDBRecord[] {
    const maxAge = this.options.mapping.maximumRecordAgeSeconds;
    if (maxAge === undefined || maxAge < 0) {
      return records;
    }
    const now = Date.now() / 1000;
    const old = records.filter((record) => now - Number(record.dynamodb?.ApproximateCreationDateTime ?? now) > maxAge);
    if (old.length > 0) {
      void this.discard(old, 'RecordAgeExceeded', 0);
    }
    return records.filter((record) => !old.includes(record));
  }

  /**
   * The invocation record Lambda sends to an on-failure destination for a stream batch, as the Lambda developer
   * guide's example shows it ("Example invocation record" of a DynamoDB stream, with-ddb.html#services-ddb-errors).
   */
  private async discard(records: DynamoDBRecord[], condition: string, attempts: number, outcome?: InvocationOutcome): Promise<void> {
    const { mapping, onFailureQueueUrl } = this.options;
    this.options.log(`${mapping.function}: ${records.length} records discarded (${condition})${outcome ? `: ${describe(outcome)}` : ''}`);
    if (!onFailureQueueUrl) {
      return;
    }
    const first = records[0];
    const last = records[records.length - 1];
    const arrival = (record: DynamoDBRecord) => new Date(Number(record.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000).toISOString();
    const invocationRecord = {
      requestContext: { requestId: crypto.randomUUID(), functionArn: this.options.host.fn.arn, condition, approximateInvokeCount: attempts },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: outcome && !outcome.ok ? 'Unhandled' : undefined },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: first.eventID?.split(':')[0] ?? 'shardId-00000000000000000000-00000000',
        startSequenceNumber: first.dynamodb?.SequenceNumber,
        endSequenceNumber: last.dynamodb?.SequenceNumber,
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(last),
        batchSize: records.length,
        streamArn: first.eventSourceARN,
      },
    };
    await this.options.sqs.send(new SendMessageCommand({ QueueUrl: onFailureQueueUrl, MessageBody: JSON.stringify(invocationRecord) }));
  }
}

function defaultDelay(attempt: number): number {
  return Math.min(5_000, 200 * attempt);
}

function describe(outcome: InvocationOutcome): string {
  return outcome.ok ? 'partial batch failure' : `${outcome.errorType}: ${outcome.errorMessage}`;
}
