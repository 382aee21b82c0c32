import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { callerOf, type Caller } from '../../core/api/caller';
import { mayAccess } from '../../core/api/ownership';
import { errorResponse } from '../../core/dispatch/api-error';
import { toPublicView } from '../../core/dispatch/dispatch';
import { isFinal } from '../../core/dispatch/states';
import { jsonResponse, type JsonResponse } from '../../core/http';
import { callerRules } from '../../lambda/caller-rules';
import { forDispatch } from '../../lambda/correlation';
import { workerLauncher } from '../../lambda/launcher';
import { lifecycleDeps } from '../../lambda/lifecycle';

const CANCEL_ATTEMPTS = 3;
const logger = new Logger({ serviceName: 'outpost-dispatch-cancel' });

/** DELETE /dispatch/{id}: cancel; idempotent (a finished dispatch answers as it is). */
export async function handler(event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<JsonResponse> {
  const caller = callerOf(event, callerRules);
  if (!caller) {
    return errorResponse({ status: 401, code: 'Unauthenticated', message: 'The request carries no caller identity.' });
  }
  const id = event.pathParameters?.id;
  return forDispatch(logger, id, () => cancel(caller, id));
}

async function cancel(caller: Caller, id: string | undefined): Promise<JsonResponse> {
  const deps = lifecycleDeps({ launcher: workerLauncher });
  const dispatch = id ? await deps.dispatches.get(id) : undefined;
  if (!dispatch || !mayAccess(caller, dispatch.requester)) {
    return errorResponse({ status: 404, code: 'NotFound', field: 'id', message: 'No dispatch with that id is visible to you.' });
  }
  if (isFinal(dispatch.status)) {
    return jsonResponse(200, toPublicView(dispatch));
  }
  // Another writer may move the dispatch between the read and the write (STARTING → RUNNING): cancel what it is now.
  let current = dispatch;
  for (let attempt = 0; attempt < CANCEL_ATTEMPTS && !isFinal(current.status); attempt++) {
    const outcome = await deps.dispatches.transition(current, 'CANCELLED', deps.now(), { reason: `cancelled by ${caller.id}` });
    if (outcome.applied) {
      logger.info('dispatch cancelled', { from: current.status, by: caller.id });
      if (outcome.dispatch.taskArn) {
        await deps.launcher.stop(outcome.dispatch.taskArn, `dispatch ${dispatch.id} cancelled`);
      }
      return jsonResponse(202, toPublicView(outcome.dispatch));
    }
    current = outcome.current;
  }
  return jsonResponse(200, toPublicView(current));
}
