import { rm } from 'fs/promises';
import * as path from 'path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EFSClient } from '@aws-sdk/client-efs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WorkspaceAccessPoints } from '../adapters/workspace-access-points';
import { WorkspaceRepository } from '../adapters/workspace-repository';
import { WorkspaceTaskDefinitions } from '../adapters/workspace-task-definitions';
import { loadConfig } from '../core/config';
import { requireEnv } from '../core/environment';
import type { CleanerDeps } from '../services/clean-workspace';

let deps: CleanerDeps | undefined;

/**
 * The workspace cleaner's table, EFS and ECS clients and its mount of the file system's `/workspaces` (an
 * access point of its own, as root, at OUTPOST_WORKSPACES_MOUNT), created once per execution environment.
 */
export function cleanerDeps(): CleanerDeps {
  deps ??= createDeps();
  return deps;
}

function createDeps(): CleanerDeps {
  const config = loadConfig();
  const mountPath = requireEnv('OUTPOST_WORKSPACES_MOUNT');
  return {
    workspaces: new WorkspaceRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.workspaces!.table),
    accessPoints: new WorkspaceAccessPoints(new EFSClient({})),
    taskDefinitions: new WorkspaceTaskDefinitions(new ECSClient({})),
    familyPrefix: config.workspaces!.familyPrefix,
    agents: Object.keys(config.agents),
    removeDirectory: (directory) => rm(path.join(mountPath, directory), { recursive: true, force: true }),
  };
}
