import { arnOf, UnknownOperation, type ArnContext } from './operation';
import type { Authorization } from '../policy/policy-document';

const ON_QUEUE = new Set(['SendMessage', 'SendMessageBatch', 'GetQueueAttributes', 'ReceiveMessage', 'DeleteMessage', 'GetQueueUrl']);

/**
 * Amazon SQS (AWS JSON 1.0, `AmazonSQS.<Operation>`): the queue's ARN, out of its URL (`…/<account>/<name>`)
 * or, for GetQueueUrl, its name. A function's dead-letter queue is written with the function's role.
 */
export function sqsAuthorizations(operation: string, input: Record<string, any>, context: ArnContext): Authorization[] {
  if (!ON_QUEUE.has(operation)) {
    throw new UnknownOperation('json-1.0', `sqs:${operation}`);
  }
  const name = operation === 'GetQueueUrl' ? String(input.QueueName ?? '') : String(input.QueueUrl ?? '').split('/').pop() ?? '';
  return [{ action: `sqs:${operation === 'SendMessageBatch' ? 'SendMessage' : operation}`, resource: arnOf(context, 'sqs', '', name) }];
}
