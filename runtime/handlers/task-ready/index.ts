import { dispatchIdOf, parseTaskStateChange } from '../../core/tasks/task-event';
import { artifactStore } from '../../lambda/artifacts';
import { forDispatch } from '../../lambda/correlation';
import { withGitCredentials } from '../../lambda/git-credentials';
import { JsonLogger } from '../../lambda/json-log';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { onTaskReady } from '../../services/task-ready';

/** Powertools' Logger would take this bundle over its budget (test/runtime/bundle/handler-sizes.test.ts). */
const logger = new JsonLogger('outpost-task-ready');

/**
 * A task of the platform's cluster is running and healthy (EventBridge; the rule sends no other state;
 * retried on error): the hand-off. A cold start's task names its dispatch (the correlation id from the
 * start); a pool worker's is known once its pool item is read.
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
    const dispatchId = await onTaskReady(withGitCredentials(lifecycleDeps(artifactStore)), task);
    if (dispatchId) {
      logger.setCorrelationId(dispatchId);
    }
    logger.info('task ready handled', { lastStatus: task.lastStatus, healthStatus: task.healthStatus });
  });
}
