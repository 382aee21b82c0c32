import { isWorkspaceName } from './workspace';
import type { Caller } from '../api/caller';
import type { ApiError } from '../dispatch/api-error';

/** What a workspaces route asks for: runtime/services/workspace-requests.ts answers it. */
export type WorkspaceRequest =
  | { readonly kind: 'list'; readonly requester: string }
  | { readonly kind: 'delete'; readonly requester: string; readonly name: string };

export type WorkspaceRequestParse = { readonly ok: true; readonly request: WorkspaceRequest } | { readonly ok: false; readonly error: ApiError };

/**
 * GET /workspaces and DELETE /workspaces/{name}, and their /admin/ forms, which act on anyone's workspaces,
 * named by `?requester=`. A bad request is a 400 naming the field.
 */
export function parseWorkspaceRequest(
  routeKey: string, name: string | undefined, query: Readonly<Record<string, string | undefined>>, caller: Caller,
): WorkspaceRequestParse {
  const requester = caller.admin ? query.requester : caller.id;
  if (!requester) {
    return invalid('MissingParameter', 'requester', 'Name the caller whose workspaces to act on: ?requester=<principal ARN or jwt:issuer#sub>.');
  }
  switch (routeKey.replace(/^(GET|DELETE) \/admin/, '$1 ')) {
    case 'GET /workspaces':
      return { ok: true, request: { kind: 'list', requester } };
    case 'DELETE /workspaces/{name}':
      // The name becomes a directory and an access point's path: anything but a workspace name (`..`, a slash,
      // an encoded one) is refused before it reaches either.
      return isWorkspaceName(name)
        ? { ok: true, request: { kind: 'delete', requester, name } }
        : invalid('InvalidParameter', 'name', 'name must be 1 to 63 lower-case letters, digits and "-", starting with a letter or digit.');
    default:
      return { ok: false, error: { status: 404, code: 'NoSuchRoute', message: `No route ${routeKey}.` } };
  }
}

function invalid(code: string, field: string, message: string): WorkspaceRequestParse {
  return { ok: false, error: { status: 400, code, field, message } };
}
