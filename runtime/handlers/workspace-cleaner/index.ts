import { parseWorkspaceDeleted } from '../../core/workspaces/events';
import { JsonLogger } from '../../lambda/json-log';
import { cleanerDeps } from '../../lambda/workspace-cleaner';
import { cleanWorkspace } from '../../services/clean-workspace';

const logger = new JsonLogger('outpost-workspace-cleaner');

/**
 * `Workspace Deleted` (EventBridge, retried, then a dead-letter queue): deletes the workspace's access point,
 * task definitions, files and item (services/clean-workspace.ts). A forged or stale event removes nothing that
 * a live workspace still uses; a failed attempt throws, and the retry finishes what it began.
 */
export async function handler(event: unknown): Promise<void> {
  const deleted = parseWorkspaceDeleted(event);
  const cleanup = deleted && await cleanWorkspace(cleanerDeps(), deleted);
  if (!cleanup) {
    logger.warn('refused a workspace deletion event', { detail: deleted });
    return;
  }
  const { directory, deleting } = cleanup;
  logger.info('cleaned up a deleted workspace', {
    requester: deleted.requester, name: deleted.name, directory, accessPointId: deleting?.accessPointId, itemRemoved: deleting !== undefined,
  });
}
