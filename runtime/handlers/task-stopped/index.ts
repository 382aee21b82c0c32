import { artifactStore } from '../../lambda/artifacts';
import { JsonLogger } from '../../lambda/json-log';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { handleTaskEvent } from '../../lambda/task-event-handler';
import { workspaceHoldDeps } from '../../lambda/workspace-hold';
import { handleStoppedTask } from '../../services/stopped-task';

const logger = new JsonLogger('outpost-task-stopped');

/**
 * A task of the platform's cluster stopped (EventBridge; the rule sends no other state; retried on error):
 * the completion, then the persistent workspace its dispatch held is free (services/stopped-task.ts).
 */
export async function handler(event: unknown): Promise<void> {
  // No launcher: this handler neither starts nor stops a task, so its bundle carries no ECS client.
  const deps = lifecycleDeps({ artifacts: artifactStore });
  await handleTaskEvent(logger, event, (task) => handleStoppedTask(deps, workspaceHoldDeps()?.workspaces, task));
}
