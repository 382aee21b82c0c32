import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { callerOf } from '../../core/api/caller';
import { errorResponse } from '../../core/dispatch/api-error';
import { parseDispatchRead } from '../../core/dispatch/read-request';
import { jsonResponse, type JsonResponse } from '../../core/http';
import { callerRules } from '../../lambda/caller-rules';
import { forDispatch } from '../../lambda/correlation';
import { readDeps } from '../../lambda/dispatch-read';
import { JsonLogger } from '../../lambda/json-log';
import { readDispatch } from '../../services/read-dispatch';

const logger = new JsonLogger('outpost-dispatch-read');

/**
 * GET /dispatch, /dispatch/{id}, /dispatch/{id}/logs, /artifacts/{id} (and their /admin/ forms). Reads log
 * nothing but their failures, with the dispatch's id.
 */
export async function handler(event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<JsonResponse> {
  const caller = callerOf(event, callerRules);
  if (!caller) {
    return errorResponse({ status: 401, code: 'Unauthenticated', message: 'The request carries no caller identity.' });
  }
  const id = event.pathParameters?.id;
  const parsed = parseDispatchRead(event.routeKey, id, event.queryStringParameters ?? {}, caller);
  if (!parsed.ok) {
    return errorResponse(parsed.error);
  }
  return forDispatch(logger, id, async () => {
    const answer = await readDispatch(readDeps(), caller, parsed.read);
    return answer.ok ? jsonResponse(200, answer.body) : errorResponse(answer.error);
  });
}
