import type { OutpostApiError } from '../client/errors';

/**
 * The least of the platform's grants that allows a route, as src/control-plane/control-plane-api.ts grants them:
 * `/admin/...` only `grantAdmin`; the other writes `grantDispatch` (which `grantAdmin` includes); the other reads
 * `grantRead` (which both include).
 */
export function requiredGrant(route: string): 'grantAdmin' | 'grantDispatch' | 'grantRead' {
  const [method, path = ''] = route.split(' ');
  if (path === '/admin' || path.startsWith('/admin/')) {
    return 'grantAdmin';
  }
  return method === 'GET' ? 'grantRead' : 'grantDispatch';
}

/** What to do about a 403: API Gateway refused the caller's permission for the route, or its signature. */
export function forbiddenHint(error: OutpostApiError): string | undefined {
  if (error.status !== 403 || error.route === undefined) {
    return undefined;
  }
  const grant = requiredGrant(error.route);
  return `the caller may not call ${error.route}: it needs the platform's ${grant} (platform.controlPlane.${grant}(role) in the stack), `
    + 'or the request was signed with other credentials, or for another Region, than the API\'s';
}
