import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { ArtifactStore } from '../../adapters/artifact-store';
import { DispatchRepository } from '../../adapters/dispatch-repository';
import { RunLogs } from '../../adapters/run-logs';
import { S3Bucket } from '../../adapters/s3-bucket';
import { callerOf, type Caller } from '../../core/api/caller';
import { mayAccess } from '../../core/api/ownership';
import { loadConfig } from '../../core/config';
import { errorResponse } from '../../core/dispatch/api-error';
import { toPublicView, type Dispatch } from '../../core/dispatch/dispatch';
import { jsonResponse, type JsonResponse } from '../../core/http';
import { InvalidCursorError } from '../../core/logs/cursor';
import { streamNameFor } from '../../core/logs/stream-name';
import { taskIdOf } from '../../core/tasks/task-id';
import { callerRules } from '../../lambda/caller-rules';
import { forDispatch } from '../../lambda/correlation';
import { JsonLogger } from '../../lambda/json-log';

const config = loadConfig();
const dispatches = new DispatchRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.tables.dispatches, config.tables.indexes);
const artifacts = new ArtifactStore(new S3Bucket(config.artifactsBucket, config.artifactsBucketUrl));
const logsClient = new CloudWatchLogsClient({});
// Powertools' Logger would take this handler past its bundle budget.
const logger = new JsonLogger('outpost-dispatch-read');

const INVALID_CURSOR = errorResponse({ status: 400, code: 'InvalidCursor', field: 'cursor', message: 'The cursor is not one this run\'s logs returned.' });
const NOT_FOUND = errorResponse({ status: 404, code: 'NotFound', field: 'id', message: 'No dispatch with that id is visible to you.' });

type Event = APIGatewayProxyEventV2WithIAMAuthorizer;

/**
 * GET /dispatch, /dispatch/{id}, /dispatch/{id}/logs, /artifacts/{id} (and their /admin/ forms). Reads log
 * nothing but their failures, with the dispatch's id.
 */
export async function handler(event: Event): Promise<JsonResponse> {
  const caller = callerOf(event, callerRules);
  if (!caller) {
    return errorResponse({ status: 401, code: 'Unauthenticated', message: 'The request carries no caller identity.' });
  }
  return forDispatch(logger, event.pathParameters?.id, () => read(caller, event));
}

async function read(caller: Caller, event: Event): Promise<JsonResponse> {
  const route = event.routeKey.replace(/^GET \/admin/, 'GET ');
  if (route === 'GET /dispatch') {
    return list(caller, event.queryStringParameters ?? {});
  }
  const dispatch = await visible(caller, event.pathParameters?.id);
  if (!dispatch) {
    return NOT_FOUND;
  }
  switch (route) {
    case 'GET /dispatch/{id}':
      return jsonResponse(200, toPublicView(dispatch));
    case 'GET /dispatch/{id}/logs':
      return logs(dispatch, event.queryStringParameters ?? {});
    case 'GET /artifacts/{id}':
      return runArtifacts(dispatch);
    default:
      return errorResponse({ status: 404, code: 'NoSuchRoute', message: `No route ${event.routeKey}.` });
  }
}

async function visible(caller: Caller, id: string | undefined): Promise<Dispatch | undefined> {
  const dispatch = id ? await dispatches.get(id) : undefined;
  return dispatch && mayAccess(caller, dispatch.requester) ? dispatch : undefined;
}

/** The caller's dispatches, newest first; an admin names whose with `requester`. */
async function list(caller: Caller, query: Record<string, string | undefined>): Promise<JsonResponse> {
  const requester = caller.admin ? query.requester : caller.id;
  if (!requester) {
    return errorResponse({ status: 400, code: 'MissingParameter', field: 'requester', message: 'Name the caller whose dispatches to list: ?requester=<principal ARN or jwt:issuer#sub>.' });
  }
  const limit = query.limit === undefined ? undefined : Number(query.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 100)) {
    return errorResponse({ status: 400, code: 'InvalidParameter', field: 'limit', message: 'limit must be a whole number from 1 to 100.' });
  }
  const outcome = await dispatches.listByRequester(requester, { limit, cursor: query.cursor });
  if (!outcome.ok) {
    return errorResponse(outcome.error);
  }
  return jsonResponse(200, { items: outcome.page.items.map(toPublicView), cursor: outcome.page.cursor ?? null });
}

/** The run's log lines; follow a live run by passing back `cursor` until `status` is final. */
async function logs(dispatch: Dispatch, query: Record<string, string | undefined>): Promise<JsonResponse> {
  const limit = query.limit === undefined ? undefined : Number(query.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) {
    return errorResponse({ status: 400, code: 'InvalidParameter', field: 'limit', message: 'limit must be a whole number from 1 to 1000.' });
  }
  const taskId = dispatch.taskArn && taskIdOf(dispatch.taskArn);
  if (!taskId) {
    // No task yet (QUEUED), so no log line, and no cursor it could have returned.
    return query.cursor === undefined ? jsonResponse(200, { status: dispatch.status, lines: [], cursor: null }) : INVALID_CURSOR;
  }
  try {
    const runLogs = new RunLogs(logsClient, config.agents[dispatch.agent].logGroupName);
    const page = await runLogs.read(streamNameFor(dispatch.agent, taskId), { cursor: query.cursor, limit });
    return jsonResponse(200, { status: dispatch.status, ...page });
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      return INVALID_CURSOR;
    }
    throw error;
  }
}

/** Presigned links (valid one hour) to every artifact of the run, and result.json's content. */
async function runArtifacts(dispatch: Dispatch): Promise<JsonResponse> {
  const [files, result] = await Promise.all([artifacts.presignDownloads(dispatch.id), artifacts.readResult(dispatch.id)]);
  return jsonResponse(200, { dispatchId: dispatch.id, status: dispatch.status, artifacts: files, result: result?.ok ? result.result : null });
}
