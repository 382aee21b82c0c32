import { rm } from 'fs/promises';
import * as path from 'path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EFSClient } from '@aws-sdk/client-efs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WorkspaceAccessPoints } from '../../adapters/workspace-access-points';
import { WorkspaceRepository } from '../../adapters/workspace-repository';
import { WorkspaceTaskDefinitions } from '../../adapters/workspace-task-definitions';
import { loadConfig } from '../../core/config';
import { requireEnv } from '../../core/environment';
import { parseWorkspaceDeleted } from '../../core/workspaces/events';
import { JsonLogger } from '../../lambda/json-log';
import { cleanWorkspace, type CleanerDeps } from '../../services/clean-workspace';

const logger = new JsonLogger('outpost-workspace-cleaner');
const config = loadConfig();
/** Where the function mounts the file system's `/workspaces` (an access point of its own, as root). */
const mountPath = requireEnv('OUTPOST_WORKSPACES_MOUNT');
const deps: CleanerDeps = {
  workspaces: new WorkspaceRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.workspaces!.table),
  accessPoints: new WorkspaceAccessPoints(new EFSClient({})),
  taskDefinitions: new WorkspaceTaskDefinitions(new ECSClient({})),
  familyPrefix: config.workspaces!.familyPrefix,
  agents: Object.keys(config.agents),
  removeDirectory: (directory) => rm(path.join(mountPath, directory), { recursive: true, force: true }),
};

/**
 * `Workspace Deleted` (EventBridge, retried, then a dead-letter queue): deletes the workspace's access point,
 * task definitions, files and item (services/clean-workspace.ts). A forged or stale event removes nothing that
 * a live workspace still uses; a failed attempt throws, and the retry finishes what it began.
 */
export async function handler(event: unknown): Promise<void> {
  const deleted = parseWorkspaceDeleted(event);
  const cleanup = deleted && await cleanWorkspace(deps, deleted);
  if (!cleanup) {
    logger.warn('refused a workspace deletion event', { detail: deleted });
    return;
  }
  const { directory, deleting } = cleanup;
  logger.info('cleaned up a deleted workspace', {
    requester: deleted.requester, name: deleted.name, directory, accessPointId: deleting?.accessPointId, itemRemoved: deleting !== undefined,
  });
}
