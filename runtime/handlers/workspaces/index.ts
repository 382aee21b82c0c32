import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { AuditLog } from '../../adapters/audit-log';
import { DispatchEvents } from '../../adapters/dispatch-events';
import { DispatchRepository } from '../../adapters/dispatch-repository';
import { WorkspaceRepository } from '../../adapters/workspace-repository';
import { callerOf } from '../../core/api/caller';
import { loadConfig } from '../../core/config';
import { errorResponse } from '../../core/dispatch/api-error';
import { jsonResponse, type JsonResponse } from '../../core/http';
import { isWorkspaceName, toWorkspaceView } from '../../core/workspaces/workspace';
import { callerRules } from '../../lambda/caller-rules';
import { deleteWorkspace, type DeletionDeps } from '../../services/delete-workspace';

const config = loadConfig();
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
// DynamoDB and EventBridge only: the workspace cleaner deletes access points and task definitions.
const deps: DeletionDeps | undefined = config.workspaces && {
  workspaces: new WorkspaceRepository(documents, config.workspaces.table),
  dispatches: new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes),
  events: new DispatchEvents(new EventBridgeClient({}), config.eventBus),
  audit: new AuditLog(documents, config.tables.audit),
  now: () => new Date(),
};

/**
 * GET /workspaces and DELETE /workspaces/{name}: the caller's persistent workspaces. Their /admin/ forms act
 * on anyone's, named by `?requester=`.
 */
export async function handler(event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<JsonResponse> {
  const caller = callerOf(event, callerRules);
  if (!caller) {
    return errorResponse({ status: 401, code: 'Unauthenticated', message: 'The request carries no caller identity.' });
  }
  if (!deps) {
    return errorResponse({ status: 404, code: 'PersistentWorkspacesUnavailable', message: 'This platform has no persistent workspaces.' });
  }
  const requester = caller.admin ? event.queryStringParameters?.requester : caller.id;
  if (!requester) {
    return errorResponse({ status: 400, code: 'MissingParameter', field: 'requester', message: 'Name the caller whose workspaces to act on: ?requester=<principal ARN or jwt:issuer#sub>.' });
  }
  switch (event.routeKey.replace(/^(GET|DELETE) \/admin/, '$1 ')) {
    case 'GET /workspaces':
      return jsonResponse(200, { items: (await deps.workspaces.list(requester)).map(toWorkspaceView) });
    case 'DELETE /workspaces/{name}': {
      // The name becomes a directory and an access point's path: anything but a workspace name (`..`, a slash,
      // an encoded one) is refused before it reaches either.
      const name = event.pathParameters?.name;
      if (!isWorkspaceName(name)) {
        return errorResponse({ status: 400, code: 'InvalidParameter', field: 'name', message: 'name must be 1 to 63 lower-case letters, digits and "-", starting with a letter or digit.' });
      }
      const outcome = await deleteWorkspace(deps, requester, name, caller.id);
      return outcome.ok ? jsonResponse(202, toWorkspaceView(outcome.workspace)) : errorResponse(outcome.error);
    }
    default:
      return errorResponse({ status: 404, code: 'NoSuchRoute', message: `No route ${event.routeKey}.` });
  }
}
