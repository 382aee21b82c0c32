import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DispatchRepository } from '../adapters/dispatch-repository';
import { WorkspaceRepository } from '../adapters/workspace-repository';
import { loadConfig } from '../core/config';
import type { WorkspaceHoldDeps } from '../services/workspace-deps';

let deps: WorkspaceHoldDeps | null | undefined;

/**
 * The workspaces table and what its locks need, created once per execution environment on first use (an
 * ephemeral dispatch never creates them); undefined on a platform without persistent workspaces. DynamoDB
 * only: `POST /dispatch` holds workspaces, the starter prepares them (runtime/lambda/workspaces.ts).
 */
export function workspaceHoldDeps(): WorkspaceHoldDeps | undefined {
  if (deps === undefined) {
    const config = loadConfig();
    const settings = config.workspaces;
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    deps = settings ? {
      settings,
      workspaces: new WorkspaceRepository(documents, settings.table),
      dispatches: new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes),
      now: () => new Date(),
    } : null;
  }
  return deps ?? undefined;
}
