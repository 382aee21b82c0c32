import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { AuditLog } from '../../adapters/audit-log';
import { DispatchEvents } from '../../adapters/dispatch-events';
import { publishMetrics } from '../../adapters/emf-metrics';
import { streamChange } from '../../adapters/stream-change';
import { WorkspaceRepository } from '../../adapters/workspace-repository';
import { loadConfig } from '../../core/config';
import { transitionAuditRecord, type DispatchTransitionEvent } from '../../core/dispatch/events';
import { dispatchMetrics } from '../../core/outbox/dispatch-metrics';
import { streamDispatchId, streamTransitions } from '../../core/outbox/stream-transition';
import { releasedWithoutTask } from '../../core/workspaces/release';

const SERVICE = 'outpost-outbox';
const logger = new Logger({ serviceName: SERVICE });
const config = loadConfig();
const events = new DispatchEvents(new EventBridgeClient({}), config.eventBus);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const audit = new AuditLog(documents, config.tables.audit);
const workspaces = config.workspaces && new WorkspaceRepository(documents, config.workspaces.table);

/**
 * The outbox: every status change of a dispatch, read from the table's stream, is published on the platform
 * bus, appended to the audit table and counted (transitions, warm and cold starts, wait time); a persistent
 * dispatch that ended without a task gives back its workspace. A record that fails is reported alone, so the
 * stream retries it (and what follows it) without repeating what came before it. Each line about a record
 * carries its dispatch id as the correlation id.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const change = streamChange(record);
    const dispatchId = streamDispatchId(change);
    logger.resetKeys();
    if (dispatchId) {
      logger.setCorrelationId(dispatchId);
    }
    try {
      // First: a failure retries the record, and a release repeated is a no-op, a publication is not.
      const release = workspaces && releasedWithoutTask(change);
      if (release) {
        await workspaces.release(release.requester, release.name, release.dispatchId);
      }
      for (const transition of streamTransitions(change)) {
        const detail = transition as DispatchTransitionEvent;
        await events.publish(detail);
        await audit.append(transitionAuditRecord(detail));
        logger.info('dispatch moved', { agent: detail.agent, from: detail.from, to: detail.to, ...(detail.reason && { reason: detail.reason }) });
      }
      // Counted once the record is through: a record retried after a failure is not counted twice.
      publishMetrics(SERVICE, dispatchMetrics(change), dispatchId);
    } catch (error) {
      logger.error('publishing a dispatch transition failed; the stream will retry it', { sequenceNumber: record.dynamodb?.SequenceNumber, error });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber! }] };
    }
  }
  return { batchItemFailures: [] };
}
