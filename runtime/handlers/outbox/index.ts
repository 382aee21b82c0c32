import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { AuditLog } from '../../adapters/audit-log';
import { DispatchEvents } from '../../adapters/dispatch-events';
import { loadConfig } from '../../core/config';
import { transitionAuditRecord, type DispatchTransitionEvent } from '../../core/dispatch/events';
import { streamTransitions } from '../../core/outbox/stream-transition';

const logger = new Logger({ serviceName: 'outpost-outbox' });
const config = loadConfig();
const events = new DispatchEvents(new EventBridgeClient({}), config.eventBus);
const audit = new AuditLog(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.tables.audit);

/**
 * The outbox: every status change of a dispatch, read from the table's stream, is published on the platform
 * bus and appended to the audit table. A record that fails is reported alone, so the stream retries it
 * (and what follows it) without repeating what already went out.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    for (const transition of streamTransitions(record)) {
      try {
        const detail = transition as DispatchTransitionEvent;
        await events.publish(detail);
        await audit.append(transitionAuditRecord(detail));
      } catch (error) {
        logger.error('publishing a dispatch transition failed; the stream will retry it', { dispatchId: transition.dispatchId, error });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber! }] };
      }
    }
  }
  return { batchItemFailures: [] };
}
