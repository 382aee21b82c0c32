import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { callerOf } from '../../core/api/caller';
import { errorResponse } from '../../core/dispatch/api-error';
import { jsonResponse, type JsonResponse } from '../../core/http';
import { parseWorkspaceRequest } from '../../core/workspaces/workspace-request';
import { callerRules } from '../../lambda/caller-rules';
import { workspacesApiDeps } from '../../lambda/workspaces-api';
import { answerWorkspaceRequest } from '../../services/workspace-requests';

/**
 * GET /workspaces and DELETE /workspaces/{name}: the caller's persistent workspaces. Their /admin/ forms act
 * on anyone's, named by `?requester=`.
 */
export async function handler(event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<JsonResponse> {
  const caller = callerOf(event, callerRules);
  if (!caller) {
    return errorResponse({ status: 401, code: 'Unauthenticated', message: 'The request carries no caller identity.' });
  }
  const deps = workspacesApiDeps();
  if (!deps) {
    return errorResponse({ status: 404, code: 'PersistentWorkspacesUnavailable', message: 'This platform has no persistent workspaces.' });
  }
  const parsed = parseWorkspaceRequest(event.routeKey, event.pathParameters?.name, event.queryStringParameters ?? {}, caller);
  if (!parsed.ok) {
    return errorResponse(parsed.error);
  }
  const answer = await answerWorkspaceRequest(deps, caller, parsed.request);
  return answer.ok ? jsonResponse(answer.status, answer.body) : errorResponse(answer.error);
}
