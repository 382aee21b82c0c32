import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditLog } from '../adapters/audit-log';
import { DispatchEvents } from '../adapters/dispatch-events';
import { DispatchRepository } from '../adapters/dispatch-repository';
import { WorkspaceRepository } from '../adapters/workspace-repository';
import { loadConfig } from '../core/config';
import type { DeletionDeps } from '../services/delete-workspace';

let deps: DeletionDeps | null | undefined;

/**
 * The workspaces routes' tables and bus, created once per execution environment; undefined on a platform
 * without persistent workspaces. DynamoDB and EventBridge only: the workspace cleaner deletes access points
 * and task definitions.
 */
export function workspacesApiDeps(): DeletionDeps | undefined {
  if (deps === undefined) {
    const config = loadConfig();
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    deps = config.workspaces ? {
      workspaces: new WorkspaceRepository(documents, config.workspaces.table),
      dispatches: new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes),
      events: new DispatchEvents(new EventBridgeClient({}), config.eventBus),
      audit: new AuditLog(documents, config.tables.audit),
      now: () => new Date(),
    } : null;
  }
  return deps ?? undefined;
}
