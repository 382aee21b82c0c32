import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { forDispatch } from '../../lambda/correlation';
import { JsonLogger } from '../../lambda/json-log';
import { outboxDeps } from '../../lambda/outbox';
import { recordDispatchId, relayTransitions } from '../../services/relay-transitions';

const SERVICE = 'outpost-outbox';
const logger = new JsonLogger(SERVICE);

/**
 * The outbox: every status change of a dispatch, read from the table's stream, is published on the platform
 * bus, appended to the audit table and counted (services/relay-transitions.ts). A record that fails is
 * reported alone, so the stream retries it (and what follows it) without repeating what came before it. Each
 * line about a record carries its dispatch id as the correlation id, and a failure its sequence number.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const deps = outboxDeps(SERVICE, (detail) => {
    logger.info('dispatch moved', { agent: detail.agent, from: detail.from, to: detail.to, ...(detail.reason && { reason: detail.reason }) });
  });
  for (const record of event.Records) {
    const sequenceNumber = record.dynamodb!.SequenceNumber!;
    try {
      await forDispatch(logger, recordDispatchId(record), async () => {
        logger.appendKeys({ sequenceNumber });
        await relayTransitions(deps, record);
      });
    } catch {
      // forDispatch has logged the failure: the stream retries this record and those after it.
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
    }
  }
  logger.resetKeys();
  return { batchItemFailures: [] };
}
