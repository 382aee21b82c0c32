import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { JsonLogger } from '../../lambda/json-log';
import { workerLauncher } from '../../lambda/launcher';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { workspaceDeps } from '../../lambda/workspaces';
import { coldStartRequested, startCold } from '../../services/cold-start';

const logger = new JsonLogger('outpost-dispatch-starter');

/**
 * The starter: the dispatches that `POST /dispatch` could not start on a warm worker reach it on the table's
 * stream (filtered to them by the event source), and it starts a task for each (runtime/services/cold-start.ts).
 * Kept apart from the API's function so that the API carries neither the ECS nor the EFS client, and RunTask's
 * retries run outside the API's 30-second budget. Records that fail are reported: the stream delivers them (and
 * what follows them; a dispatch already started is left alone) again; a record that keeps failing goes to the
 * dead-letter queue, and the sweeper fails its dispatch.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const deps = lifecycleDeps({ launcher: workerLauncher });
  // The records of a batch are different dispatches: started together, since each waits on RunTask.
  const failures = await Promise.all(event.Records.map(async (record) => {
    const requested = coldStartRequested(record);
    if (!requested) {
      return [];
    }
    // Each line names its dispatch itself: the records are handled at once, so no logger-wide correlation id.
    const correlation = { correlation_id: requested.id };
    try {
      const dispatch = await startCold(deps, workspaceDeps(), requested);
      logger.info('cold start handled', { ...correlation, agent: dispatch.agent, status: dispatch.status, ...(dispatch.statusReason && { reason: dispatch.statusReason }) });
      return [];
    } catch (error) {
      logger.error('starting a dispatch failed; the stream will retry it', { ...correlation, sequenceNumber: record.dynamodb?.SequenceNumber, error });
      return [{ itemIdentifier: record.dynamodb!.SequenceNumber! }];
    }
  }));
  return { batchItemFailures: failures.flat() };
}
