import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WorkspaceRepository } from '../../adapters/workspace-repository';
import { dispatchIdOf, parseTaskStateChange } from '../../core/tasks/task-event';
import { artifactStore } from '../../lambda/artifacts';
import { forDispatch } from '../../lambda/correlation';
import { tableDeps } from '../../lambda/lifecycle';
import { releaseWorkspaceOfStoppedTask } from '../../services/release-workspace';
import { onTaskStopped, type CompletionDeps } from '../../services/task-stopped';

const logger = new Logger({ serviceName: 'outpost-task-stopped' });
const tables = tableDeps();
const deps: CompletionDeps = { ...tables, artifacts: artifactStore(tables.config) };
const settings = tables.config.workspaces;
const workspaces = settings && new WorkspaceRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), settings.table);

/**
 * A task of the platform's cluster stopped (EventBridge; the rule sends no other state; retried on error):
 * the completion. A cold start's task names its dispatch (the correlation id from the start); a pool worker's
 * is known once its pool item is read.
 */
export async function handler(event: unknown): Promise<void> {
  const task = parseTaskStateChange(event);
  if (!task) {
    logger.resetKeys();
    logger.warn('ignored an event that is not an ECS task state change');
    return;
  }
  await forDispatch(logger, dispatchIdOf(task), async () => {
    logger.appendKeys({ taskId: task.taskId });
    const dispatchId = await onTaskStopped(deps, task);
    if (dispatchId) {
      logger.setCorrelationId(dispatchId);
    }
    logger.info('task stopped handled', { lastStatus: task.lastStatus, ...(task.stopCode && { stopCode: task.stopCode }), ...(task.stoppedReason && { stoppedReason: task.stoppedReason }) });
    await releaseWorkspaceOfStoppedTask(tables.dispatches, workspaces, task);
  });
}
