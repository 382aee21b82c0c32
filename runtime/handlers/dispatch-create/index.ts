import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { ulid } from 'ulid';
import { callerOf } from '../../core/api/caller';
import { errorResponse } from '../../core/dispatch/api-error';
import { dispatchBudget } from '../../core/dispatch/budget';
import { idempotencyItemId, newDispatch, toPublicView } from '../../core/dispatch/dispatch';
import { parseDispatchRequest } from '../../core/dispatch/request';
import { repositoryDecision } from '../../core/git/repository-allow-list';
import { jsonResponse, type JsonResponse } from '../../core/http';
import { artifactStore } from '../../lambda/artifacts';
import { callerRules } from '../../lambda/caller-rules';
import { forDispatch } from '../../lambda/correlation';
import { withGitCredentials } from '../../lambda/git-credentials';
import { JsonLogger } from '../../lambda/json-log';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { handoffModelPrices } from '../../lambda/model-prices';
import { workerTokenCipher } from '../../lambda/worker-tokens';
import { workspaceHoldDeps } from '../../lambda/workspace-hold';
import { createDispatch } from '../../services/create-dispatch';

const logger = new JsonLogger('outpost-dispatch-create');

/**
 * POST /dispatch: validate, record (idempotently), and start the run on a warm worker, or hand it to the
 * starter, which starts a task for it (runtime/handlers/dispatch-starter).
 */
export async function handler(event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<JsonResponse> {
  const caller = callerOf(event, callerRules);
  if (!caller) {
    return errorResponse({ status: 401, code: 'Unauthenticated', message: 'The request carries no caller identity.' });
  }
  const body = event.body !== undefined && event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const parsed = parseDispatchRequest(body);
  if (!parsed.ok) {
    return errorResponse(parsed.error);
  }
  const request = parsed.request;
  const deps = withGitCredentials(lifecycleDeps({ artifacts: artifactStore, workerTokens: workerTokenCipher, modelPrices: handoffModelPrices }));
  if (!deps.config.agents[request.agent]) {
    return errorResponse({ status: 422, code: 'AgentNotDeployed', field: 'agent', message: `The ${request.agent} agent is not part of this platform; deployed: ${Object.keys(deps.config.agents).join(', ')}.` });
  }
  const repository = request.repository && repositoryDecision(deps.config.repositories, caller.id, request.repository.url);
  if (repository && !repository.allowed) {
    return errorResponse({ status: 403, code: 'RepositoryNotAllowed', field: 'repository.url', message: `${repository.reason}. Ask the platform team to allow it.` });
  }
  const budget = dispatchBudget(request.maxCostUsd, deps.config.budget);
  if (!budget.ok) {
    return errorResponse(budget.error);
  }
  const dispatch = newDispatch(request, caller.id, deps.now(), ulid(), budget.maxCostUsd);
  const idempotencyItem = request.idempotencyKey ? idempotencyItemId(caller.id, request.idempotencyKey) : undefined;
  return forDispatch(logger, dispatch.id, async () => {
    const started = await createDispatch(deps, workspaceHoldDeps(), dispatch, idempotencyItem);
    if (!started.ok) {
      return errorResponse(started.error);
    }
    // A repeated request answers with the dispatch its idempotency key made: that is the one the line is about.
    logger.setCorrelationId(started.dispatch.id);
    logger.info(started.created ? 'dispatch created' : 'repeated request: answered with the dispatch its idempotency key made', {
      agent: started.dispatch.agent, status: started.dispatch.status, warm: started.dispatch.warm, requester: caller.id,
    });
    return jsonResponse(202, toPublicView(started.dispatch));
  });
}
