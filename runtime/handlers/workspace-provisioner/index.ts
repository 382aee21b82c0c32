import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { JsonLogger } from '../../lambda/json-log';
import { provisionDeps } from '../../lambda/workspace-provisioner';
import { provisionAccessPoint, workspaceAwaitingAccessPoint } from '../../services/provision-access-point';

const logger = new JsonLogger('outpost-workspace-provisioner');

/**
 * The workspace provisioner: the workspaces the starter found without an access point reach it on the workspaces
 * table's stream (filtered to them by the event source), and it makes each one's access point. Kept apart from
 * the starter so that neither carries both the ECS and the EFS clients (test/runtime/bundle/handler-sizes.test.ts).
 * Records that fail are reported: the stream delivers them again, then to the dead-letter queue, and the sweeper
 * fails the dispatch left QUEUED.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const deps = provisionDeps();
  const failures = await Promise.all(event.Records.map(async (record) => {
    const workspace = workspaceAwaitingAccessPoint(record);
    if (!workspace) {
      return [];
    }
    // The records are handled at once, so each line names its dispatch itself.
    const fields = { correlation_id: workspace.inUseBy, workspace: workspace.name };
    try {
      const recorded = await provisionAccessPoint(deps, workspace);
      logger.info(recorded ? 'access point made' : 'access point made; the dispatch no longer holds the workspace', fields);
      return [];
    } catch (error) {
      logger.error('making an access point failed; the stream will retry it', { ...fields, sequenceNumber: record.dynamodb?.SequenceNumber, error });
      return [{ itemIdentifier: record.dynamodb!.SequenceNumber! }];
    }
  }));
  return { batchItemFailures: failures.flat() };
}
