import { type CorrelatedLogger, forDispatch } from './correlation';
import { dispatchIdOf, parseTaskStateChange, type TaskState } from '../core/tasks/task-event';

/** What the task state change handlers log with: JsonLogger (./json-log.ts). */
export interface TaskEventLogger extends CorrelatedLogger {
  appendKeys(keys: Record<string, unknown>): void;
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string): void;
}

/**
 * What both task state change handlers (task-ready, task-stopped) do around their work: parse EventBridge's
 * event, then run `work` with the task's id and its dispatch's id as `correlation_id` on every line. A cold
 * start's task names its dispatch from the start; a pool worker's is known once `work` has read its pool item
 * and returns it.
 */
export async function handleTaskEvent(
  logger: TaskEventLogger, event: unknown, work: (task: TaskState) => Promise<string | undefined>,
): Promise<void> {
  const task = parseTaskStateChange(event);
  if (!task) {
    logger.resetKeys();
    logger.warn('ignored an event that is not an ECS task state change');
    return;
  }
  await forDispatch(logger, dispatchIdOf(task), async () => {
    logger.appendKeys({ taskId: task.taskId });
    const dispatchId = await work(task);
    if (dispatchId) {
      logger.setCorrelationId(dispatchId);
    }
    const { lastStatus, desiredStatus, stopCode, stoppedReason } = task;
    logger.info('task state change handled', { lastStatus, desiredStatus, stopCode, stoppedReason });
  });
}
