import type { ApiError } from './api-error';
import type { Caller } from '../api/caller';

/** The most dispatches one page of `GET /dispatch` lists. */
export const MAX_LIST_LIMIT = 100;

/** What a read route asks for, its query checked: runtime/services/read-dispatch.ts answers it. */
export type DispatchRead =
  /** A requester's dispatches, newest first. */
  | { readonly kind: 'list'; readonly requester: string; readonly limit?: number; readonly cursor?: string }
  | { readonly kind: 'dispatch'; readonly id: string | undefined }
  /** `limit` as given: checked (`limitOf`) once the dispatch is known to be visible, so that another's answers 404. */
  | { readonly kind: 'logs'; readonly id: string | undefined; readonly limit?: string; readonly cursor?: string }
  | { readonly kind: 'artifacts'; readonly id: string | undefined };

export type DispatchReadParse = { readonly ok: true; readonly read: DispatchRead } | { readonly ok: false; readonly error: ApiError };

type Query = Readonly<Record<string, string | undefined>>;

/**
 * GET /dispatch, /dispatch/{id}, /dispatch/{id}/logs and /artifacts/{id} (and their /admin/ forms) as a read.
 * Their queries are checked here (a bad one is a 400 naming the field), but for the logs' `limit`: another
 * caller's dispatch answers 404 whatever its query, so the service checks that one with `limitOf` after
 * reading the dispatch.
 */
export function parseDispatchRead(routeKey: string, id: string | undefined, query: Query, caller: Caller): DispatchReadParse {
  switch (routeKey.replace(/^GET \/admin/, 'GET ')) {
    case 'GET /dispatch': {
      // An admin names whose dispatches to list; anyone else lists their own.
      const requester = caller.admin ? query.requester : caller.id;
      if (!requester) {
        return invalid('MissingParameter', 'requester', 'Name the caller whose dispatches to list: ?requester=<principal ARN or jwt:issuer#sub>.');
      }
      const limit = limitOf(query.limit, MAX_LIST_LIMIT);
      return limit === null ? invalidLimit(MAX_LIST_LIMIT) : { ok: true, read: { kind: 'list', requester, limit, cursor: query.cursor } };
    }
    case 'GET /dispatch/{id}':
      return { ok: true, read: { kind: 'dispatch', id } };
    case 'GET /dispatch/{id}/logs':
      return { ok: true, read: { kind: 'logs', id, limit: query.limit, cursor: query.cursor } };
    case 'GET /artifacts/{id}':
      return { ok: true, read: { kind: 'artifacts', id } };
    default:
      return { ok: false, error: { status: 404, code: 'NoSuchRoute', message: `No route ${routeKey}.` } };
  }
}

/** A page size: undefined when absent, null when not a whole number from 1 to `max`. */
export function limitOf(raw: string | undefined, max: number): number | undefined | null {
  if (raw === undefined) {
    return undefined;
  }
  const limit = Number(raw);
  return Number.isInteger(limit) && limit >= 1 && limit <= max ? limit : null;
}

/** The 400 for a `limit` that `limitOf` refused. */
export function invalidLimit(max: number): { readonly ok: false; readonly error: ApiError } {
  return invalid('InvalidParameter', 'limit', `limit must be a whole number from 1 to ${max}.`);
}

function invalid(code: string, field: string, message: string): { readonly ok: false; readonly error: ApiError } {
  return { ok: false, error: { status: 400, code, field, message } };
}
