import { Logger } from '@aws-lambda-powertools/logger';
import { parseTaskStateChange } from '../../core/tasks/task-event';
import { withGitCredentials } from '../../lambda/git-credentials';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { onTaskStateChange } from '../../services/task-state-change';

const logger = new Logger({ serviceName: 'outpost-task-events' });

/** ECS task state changes of the platform's cluster, delivered by EventBridge (asynchronous; retried on error). */
export async function handler(event: unknown): Promise<void> {
  const task = parseTaskStateChange(event);
  if (!task) {
    logger.warn('ignored an event that is not an ECS task state change');
    return;
  }
  logger.appendKeys({ taskId: task.taskId, lastStatus: task.lastStatus });
  await onTaskStateChange(withGitCredentials(lifecycleDeps()), task);
}
