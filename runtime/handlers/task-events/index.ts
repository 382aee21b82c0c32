import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WorkspaceRepository } from '../../adapters/workspace-repository';
import { loadConfig } from '../../core/config';
import { parseTaskStateChange } from '../../core/tasks/task-event';
import { artifactStore } from '../../lambda/artifacts';
import { withGitCredentials } from '../../lambda/git-credentials';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { releaseWorkspaceOfStoppedTask } from '../../services/release-workspace';
import { onTaskStateChange } from '../../services/task-state-change';

const logger = new Logger({ serviceName: 'outpost-task-events' });
const settings = loadConfig().workspaces;
const workspaces = settings && new WorkspaceRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), settings.table);

/** ECS task state changes of the platform's cluster, delivered by EventBridge (asynchronous; retried on error). */
export async function handler(event: unknown): Promise<void> {
  const task = parseTaskStateChange(event);
  if (!task) {
    logger.warn('ignored an event that is not an ECS task state change');
    return;
  }
  logger.appendKeys({ taskId: task.taskId, lastStatus: task.lastStatus });
  const deps = withGitCredentials(lifecycleDeps(artifactStore));
  await onTaskStateChange(deps, task);
  await releaseWorkspaceOfStoppedTask(deps.dispatches, workspaces, task);
}
