import type { ArtifactStore } from '../adapters/artifact-store';
import type { DispatchRepository } from '../adapters/dispatch-repository';
import type { RunLogs } from '../adapters/run-logs';
import type { Caller } from '../core/api/caller';
import { mayAccess } from '../core/api/ownership';
import type { ApiError } from '../core/dispatch/api-error';
import { toPublicView, type Dispatch } from '../core/dispatch/dispatch';
import { invalidLimit, limitOf, type DispatchRead } from '../core/dispatch/read-request';
import { InvalidCursorError } from '../core/logs/cursor';
import { MAX_LOG_LIMIT } from '../core/logs/log-page';
import { streamNameFor } from '../core/logs/stream-name';
import { taskIdOf } from '../core/tasks/task-id';

export interface ReadDeps {
  readonly dispatches: Pick<DispatchRepository, 'get' | 'listByRequester'>;
  readonly artifacts: Pick<ArtifactStore, 'presignDownloads' | 'readResult'>;
  /** The run logs of an agent's log group. */
  readonly runLogs: (agent: string) => Pick<RunLogs, 'read'>;
}

/** The body of a 200, or the error to answer with. */
export type ReadAnswer = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly error: ApiError };

const NOT_FOUND: ReadAnswer = { ok: false, error: { status: 404, code: 'NotFound', field: 'id', message: 'No dispatch with that id is visible to you.' } };
const INVALID_LOG_CURSOR: ReadAnswer = { ok: false, error: { status: 400, code: 'InvalidCursor', field: 'cursor', message: 'The cursor is not one this run\'s logs returned.' } };
const INVALID_LIST_CURSOR: ReadAnswer = { ok: false, error: { status: 400, code: 'InvalidCursor', field: 'cursor', message: 'cursor is not one this API returned for this caller' } };

/**
 * The read routes' answers (runtime/core/dispatch/read-request.ts parses them). Another caller's dispatch
 * answers as if it did not exist, so ids cannot be probed.
 */
export async function readDispatch(deps: ReadDeps, caller: Caller, read: DispatchRead): Promise<ReadAnswer> {
  if (read.kind === 'list') {
    const outcome = await deps.dispatches.listByRequester(read.requester, { limit: read.limit, cursor: read.cursor });
    if (!outcome.ok) {
      return INVALID_LIST_CURSOR;
    }
    return { ok: true, body: { items: outcome.page.items.map(toPublicView), cursor: outcome.page.cursor ?? null } };
  }
  const dispatch = read.id ? await deps.dispatches.get(read.id) : undefined;
  if (!dispatch || !mayAccess(caller, dispatch.requester)) {
    return NOT_FOUND;
  }
  switch (read.kind) {
    case 'dispatch':
      return { ok: true, body: toPublicView(dispatch) };
    case 'logs':
      return logs(deps, dispatch, read);
    case 'artifacts':
      return runArtifacts(deps, dispatch);
  }
}

/** The run's log lines; follow a live run by passing back `cursor` until `status` is final. */
async function logs(deps: ReadDeps, dispatch: Dispatch, read: Extract<DispatchRead, { kind: 'logs' }>): Promise<ReadAnswer> {
  const limit = limitOf(read.limit, MAX_LOG_LIMIT);
  if (limit === null) {
    return invalidLimit(MAX_LOG_LIMIT);
  }
  const taskId = dispatch.taskArn && taskIdOf(dispatch.taskArn);
  if (!taskId) {
    // No task yet (QUEUED), so no log line, and no cursor it could have returned.
    return read.cursor === undefined ? { ok: true, body: { status: dispatch.status, lines: [], cursor: null } } : INVALID_LOG_CURSOR;
  }
  try {
    const page = await deps.runLogs(dispatch.agent).read(streamNameFor(dispatch.agent, taskId), { cursor: read.cursor, limit });
    return { ok: true, body: { status: dispatch.status, ...page } };
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      return INVALID_LOG_CURSOR;
    }
    throw error;
  }
}

/** Presigned links (valid one hour) to every artifact of the run, and result.json's content. */
async function runArtifacts(deps: ReadDeps, dispatch: Dispatch): Promise<ReadAnswer> {
  const [files, result] = await Promise.all([deps.artifacts.presignDownloads(dispatch.id), deps.artifacts.readResult(dispatch.id)]);
  return { ok: true, body: { dispatchId: dispatch.id, status: dispatch.status, artifacts: files, result: result?.ok ? result.result : null } };
}
