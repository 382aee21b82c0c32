import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { metricsPublisher } from './metrics';
import { AuditLog } from '../adapters/audit-log';
import { DispatchEvents } from '../adapters/dispatch-events';
import { WorkspaceRepository } from '../adapters/workspace-repository';
import { loadConfig } from '../core/config';
import type { OutboxDeps } from '../services/relay-transitions';

let deps: Omit<OutboxDeps, 'moved'> | undefined;

/**
 * The outbox's bus, audit table and workspaces table, created once per execution environment; `service` names
 * its metric lines, `moved` is its log of each transition.
 */
export function outboxDeps(service: string, moved: OutboxDeps['moved']): OutboxDeps {
  deps ??= createDeps(service);
  return { ...deps, moved };
}

function createDeps(service: string): Omit<OutboxDeps, 'moved'> {
  const config = loadConfig();
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return {
    events: new DispatchEvents(new EventBridgeClient({}), config.eventBus),
    audit: new AuditLog(documents, config.tables.audit),
    workspaces: config.workspaces && new WorkspaceRepository(documents, config.workspaces.table),
    publishMetrics: metricsPublisher(service),
  };
}
