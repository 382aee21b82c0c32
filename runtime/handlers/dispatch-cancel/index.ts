import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { callerOf } from '../../core/api/caller';
import { errorResponse } from '../../core/dispatch/api-error';
import { toPublicView } from '../../core/dispatch/dispatch';
import { jsonResponse, type JsonResponse } from '../../core/http';
import { callerRules } from '../../lambda/caller-rules';
import { forDispatch } from '../../lambda/correlation';
import { JsonLogger } from '../../lambda/json-log';
import { workerLauncher } from '../../lambda/launcher';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { cancelDispatch } from '../../services/cancel-dispatch';

const logger = new JsonLogger('outpost-dispatch-cancel');

/** DELETE /dispatch/{id}: cancel; idempotent (a finished dispatch answers as it is). */
export async function handler(event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<JsonResponse> {
  const caller = callerOf(event, callerRules);
  if (!caller) {
    return errorResponse({ status: 401, code: 'Unauthenticated', message: 'The request carries no caller identity.' });
  }
  const id = event.pathParameters?.id;
  return forDispatch(logger, id, async () => {
    const cancellation = await cancelDispatch(lifecycleDeps({ launcher: workerLauncher }), caller, id);
    switch (cancellation.kind) {
      case 'not-found':
        return errorResponse({ status: 404, code: 'NotFound', field: 'id', message: 'No dispatch with that id is visible to you.' });
      case 'cancelled':
        logger.info('dispatch cancelled', { from: cancellation.from, by: caller.id });
        return jsonResponse(202, toPublicView(cancellation.dispatch));
      case 'unchanged':
        return jsonResponse(200, toPublicView(cancellation.dispatch));
    }
  });
}
