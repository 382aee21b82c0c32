import { randomUUID } from 'crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FunctionHost, InvocationOutcome } from './function-host';
import type { AsyncInvokeWiring } from '../template/wiring';

/**
 * A function's asynchronous invocation, as Lambda handles it (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html):
 * an event that fails is retried up to `MaximumRetryAttempts` times (Lambda's default 2), unless older than
 * `MaximumEventAgeInSeconds`, and then goes to the on-failure destination (or the function's dead-letter queue)
 * as Lambda's invocation record.
 */
export class AsyncInvoker {
  constructor(
    private readonly host: FunctionHost,
    private readonly wiring: AsyncInvokeWiring,
    private readonly sqs: SQSClient,
    private readonly onFailureQueueUrl: string | undefined,
    private readonly log: (line: string) => void,
    /** Lambda waits a minute, then two, between attempts; Outpost Local compresses that to 5 and 10 seconds. */
    private readonly retryDelayMs: (attempt: number) => number = (attempt) => 5_000 * attempt,
  ) {}

  /** Runs the event to its end (success, or failure after the retries), as the caller's `Event` invocation would. */
  public async invoke(event: unknown): Promise<InvocationOutcome> {
    const received = Date.now();
    let attempts = 0;
    for (;;) {
      const outcome = await this.host.invoke(event);
      attempts += 1;
      if (outcome.ok) {
        return outcome;
      }
      const expired = Date.now() - received > this.wiring.maximumEventAgeSeconds * 1000;
      if (attempts > this.wiring.maximumRetryAttempts || expired) {
        await this.discard(event, outcome, attempts, expired ? 'EventAgeExceeded' : 'RetriesExhausted');
        return outcome;
      }
      this.log(`${this.host.fn.logicalId}: ${outcome.errorType}: ${outcome.errorMessage}; retry ${attempts}`);
      await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs(attempts)));
    }
  }

  /** Lambda's invocation record for an on-failure destination (invocation-async-retain-records.html's example). */
  private async discard(event: unknown, outcome: InvocationOutcome, attempts: number, condition: string): Promise<void> {
    const reason = outcome.ok ? '' : `${outcome.errorType}: ${outcome.errorMessage}`;
    this.log(`${this.host.fn.logicalId}: event discarded (${condition}) after ${attempts} attempts: ${reason}`);
    if (!this.onFailureQueueUrl) {
      return;
    }
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { requestId: randomUUID(), functionArn: `${this.host.fn.arn}:$LATEST`, condition, approximateInvokeCount: attempts },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: outcome.ok ? outcome.result : { errorType: outcome.errorType, errorMessage: outcome.errorMessage },
    };
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.onFailureQueueUrl, MessageBody: JSON.stringify(record) }));
  }
}
