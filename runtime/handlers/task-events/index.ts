import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WorkspaceRepository } from '../../adapters/workspace-repository';
import { loadConfig } from '../../core/config';
import { dispatchIdOf, parseTaskStateChange } from '../../core/tasks/task-event';
import { artifactStore } from '../../lambda/artifacts';
import { forDispatch } from '../../lambda/correlation';
import { withGitCredentials } from '../../lambda/git-credentials';
import { workerLauncher } from '../../lambda/launcher';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { releaseWorkspaceOfStoppedTask } from '../../services/release-workspace';
import { onTaskStateChange } from '../../services/task-state-change';

const logger = new Logger({ serviceName: 'outpost-task-events' });
const settings = loadConfig().workspaces;
const workspaces = settings && new WorkspaceRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), settings.table);

/**
 * ECS task state changes of the platform's cluster, delivered by EventBridge (asynchronous; retried on error).
 * A cold start's task names its dispatch (the correlation id from the start); a pool worker's is known once
 * its pool item is read.
 */
export async function handler(event: unknown): Promise<void> {
  const task = parseTaskStateChange(event);
  if (!task) {
    logger.resetKeys();
    logger.warn('ignored an event that is not an ECS task state change');
    return;
  }
  await forDispatch(logger, dispatchIdOf(task), async () => {
    logger.appendKeys({ taskId: task.taskId, lastStatus: task.lastStatus });
    const deps = withGitCredentials(lifecycleDeps({ artifacts: artifactStore, launcher: workerLauncher }));
    const dispatchId = await onTaskStateChange(deps, task);
    if (dispatchId) {
      logger.setCorrelationId(dispatchId);
    }
    logger.info('task state change handled', { desiredStatus: task.desiredStatus, ...(task.stoppedReason && { stoppedReason: task.stoppedReason }) });
    await releaseWorkspaceOfStoppedTask(deps.dispatches, workspaces, task);
  });
}
