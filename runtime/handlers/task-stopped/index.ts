import { Logger } from '@aws-lambda-powertools/logger';
import { artifactStore } from '../../lambda/artifacts';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { handleTaskEvent } from '../../lambda/task-event-handler';
import { workspaceHoldDeps } from '../../lambda/workspace-hold';
import { releaseWorkspaceOfStoppedTask } from '../../services/release-workspace';
import { onTaskStopped, type CompletionDeps } from '../../services/task-stopped';

const logger = new Logger({ serviceName: 'outpost-task-stopped' });
// No launcher: this handler neither starts nor stops a task, so its bundle carries no ECS client.
const deps: CompletionDeps = lifecycleDeps({ artifacts: artifactStore });
/** Undefined on a platform without persistent workspaces. */
const workspaces = workspaceHoldDeps()?.workspaces;

/**
 * A task of the platform's cluster stopped (EventBridge; the rule sends no other state; retried on error):
 * the completion, then the persistent workspace its dispatch held is free.
 */
export async function handler(event: unknown): Promise<void> {
  await handleTaskEvent(logger, event, async (task) => {
    const dispatchId = await onTaskStopped(deps, task);
    await releaseWorkspaceOfStoppedTask(deps.dispatches, workspaces, task);
    return dispatchId;
  });
}
