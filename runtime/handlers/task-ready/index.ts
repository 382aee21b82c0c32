import { artifactStore } from '../../lambda/artifacts';
import { withGitCredentials } from '../../lambda/git-credentials';
import { JsonLogger } from '../../lambda/json-log';
import { workerLauncher } from '../../lambda/launcher';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { handoffModelPrices } from '../../lambda/model-prices';
import { handleTaskEvent } from '../../lambda/task-event-handler';
import { workerTokenCipher } from '../../lambda/worker-tokens';
import { onTaskReady } from '../../services/task-ready';

const logger = new JsonLogger('outpost-task-ready');

/**
 * A task of the platform's cluster is running (EventBridge; the rule sends no other state; retried on error):
 * the hand-off, once the task's worker answers.
 */
export async function handler(event: unknown): Promise<void> {
  const deps = withGitCredentials(lifecycleDeps({
    artifacts: artifactStore, launcher: workerLauncher, workerTokens: workerTokenCipher, modelPrices: handoffModelPrices,
  }));
  await handleTaskEvent(logger, event, (task) => onTaskReady(deps, task));
}
