import { rm } from 'fs/promises';
import * as path from 'path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WorkspaceRepository } from '../../adapters/workspace-repository';
import { loadConfig } from '../../core/config';
import { requireEnv } from '../../core/environment';
import { parseWorkspaceDeleted, type WorkspaceDeletedEvent } from '../../core/workspaces/events';
import { parseRootDirectory, WORKSPACES_ROOT } from '../../core/workspaces/workspace';

const logger = new Logger({ serviceName: 'outpost-workspace-cleaner' });
const config = loadConfig();
/** Where the function mounts the file system's `/workspaces` (an access point of its own, as root). */
const mountPath = requireEnv('OUTPOST_WORKSPACES_MOUNT');
const workspaces = new WorkspaceRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.workspaces!.table);

/**
 * `Workspace Deleted` (EventBridge, retried, then a dead-letter queue): removes the workspace's directory.
 * The event must describe a workspace that is gone or being deleted, under its owner's uid; a forged or stale
 * one removes nothing that a live workspace still uses. Removing what is already gone succeeds, so a retry
 * finishes what a timed-out attempt began.
 */
export async function handler(event: unknown): Promise<void> {
  const deleted = parseWorkspaceDeleted(event);
  const directory = deleted && await removableDirectory(deleted);
  if (!directory) {
    logger.warn('refused a workspace deletion event', { detail: deleted });
    return;
  }
  logger.info('removing the files of a deleted workspace', { requester: deleted.requester, name: deleted.name, directory });
  await rm(path.join(mountPath, directory), { recursive: true, force: true });
}

/** The directory to remove, relative to `/workspaces`, or undefined when the event does not hold up. */
async function removableDirectory(deleted: WorkspaceDeletedEvent): Promise<string | undefined> {
  const parts = parseRootDirectory(deleted.rootDirectory);
  if (!parts || parts.uid !== deleted.uid || parts.name !== deleted.name) {
    return undefined;
  }
  if (await workspaces.findUid(deleted.requester) !== parts.uid) {
    return undefined;
  }
  // A workspace of the same name made since has a directory of its own (another generation).
  const record = await workspaces.get(deleted.requester, deleted.name);
  if (record?.rootDirectory === deleted.rootDirectory && record.deleting === undefined) {
    return undefined;
  }
  return path.posix.relative(WORKSPACES_ROOT, deleted.rootDirectory);
}
