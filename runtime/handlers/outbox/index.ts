import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { AuditLog } from '../../adapters/audit-log';
import { DispatchEvents } from '../../adapters/dispatch-events';
import { WorkspaceRepository } from '../../adapters/workspace-repository';
import { loadConfig } from '../../core/config';
import { transitionAuditRecord, type DispatchTransitionEvent } from '../../core/dispatch/events';
import { streamTransitions } from '../../core/outbox/stream-transition';
import { releasedWithoutTask } from '../../core/workspaces/release';

const logger = new Logger({ serviceName: 'outpost-outbox' });
const config = loadConfig();
const events = new DispatchEvents(new EventBridgeClient({}), config.eventBus);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const audit = new AuditLog(documents, config.tables.audit);
const workspaces = config.workspaces && new WorkspaceRepository(documents, config.workspaces.table);

/**
 * The outbox: every status change of a dispatch, read from the table's stream, is published on the platform
 * bus and appended to the audit table; a persistent dispatch that ended without a task gives back its
 * workspace. A record that fails is reported alone, so the stream retries it (and what follows it) without
 * repeating what came before it.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    try {
      // First: a failure retries the record, and a release repeated is a no-op, a publication is not.
      const release = workspaces && releasedWithoutTask(record);
      if (release) {
        await workspaces.release(release.requester, release.name, release.dispatchId);
      }
      for (const transition of streamTransitions(record)) {
        const detail = transition as DispatchTransitionEvent;
        await events.publish(detail);
        await audit.append(transitionAuditRecord(detail));
      }
    } catch (error) {
      logger.error('publishing a dispatch transition failed; the stream will retry it', { sequenceNumber: record.dynamodb?.SequenceNumber, error });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber! }] };
    }
  }
  return { batchItemFailures: [] };
}
