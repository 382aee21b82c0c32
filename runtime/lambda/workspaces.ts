import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EFSClient } from '@aws-sdk/client-efs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DispatchRepository } from '../adapters/dispatch-repository';
import { WorkspaceAccessPoints } from '../adapters/workspace-access-points';
import { WorkspaceRepository } from '../adapters/workspace-repository';
import { WorkspaceTaskDefinitions } from '../adapters/workspace-task-definitions';
import { loadConfig } from '../core/config';
import type { WorkspaceDeps } from '../services/workspace-deps';

let deps: WorkspaceDeps | null | undefined;

/**
 * Clients and adapters for persistent workspaces, created once per execution environment on first use (an
 * ephemeral dispatch never creates them); undefined on a platform without persistent workspaces.
 */
export function workspaceDeps(): WorkspaceDeps | undefined {
  if (deps === undefined) {
    const config = loadConfig();
    const settings = config.workspaces;
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    deps = settings ? {
      settings,
      agents: config.agents,
      workspaces: new WorkspaceRepository(documents, settings.table),
      accessPoints: new WorkspaceAccessPoints(new EFSClient({})),
      taskDefinitions: new WorkspaceTaskDefinitions(new ECSClient({})),
      dispatches: new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes),
      now: () => new Date(),
    } : null;
  }
  return deps ?? undefined;
}
