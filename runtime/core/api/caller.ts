import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { samePrincipal } from './principal';

/** Who is calling, as the API's authorizer established it. */
export interface Caller {
  /**
   * The owner recorded on dispatches and workspaces: an IAM user's ARN; an assumed role's ARN with the session
   * name where the session name identifies a person (`callerRulesOf`), else without it; or `jwt:<issuer>#<sub>`.
   */
  readonly id: string;
  /**
   * True on `/admin/...` routes. Only principals granted `grantAdmin` (or tokens with the admin scope) can
   * invoke them: API Gateway checks each route, so the handler needs no list of admins.
   */
  readonly admin: boolean;
}

/** How callers become owners: `OUTPOST_CALLERS`, which the ControlPlaneApi construct sets on every function it routes to. */
export interface CallerRules {
  /**
   * Roles (ARNs) whose session names identify people, because their trust policy fixes the session name
   * (`sts:RoleSessionName` = `${aws:username}`, or an identity provider sets it): each session is its own owner.
   */
  readonly sessionRoles: readonly string[];
}

/**
 * IAM Identity Center's roles, `AWSReservedSSO_<permission set>_<id>`: Identity Center sets the session name to
 * the signed-in user's name, which the user cannot choose.
 */
const IDENTITY_CENTER_ROLE = /^AWSReservedSSO_/;

type ApiEvent = APIGatewayProxyEventV2WithIAMAuthorizer | APIGatewayProxyEventV2WithJWTAuthorizer;

/**
 * The caller of an API request, or undefined when the request carries no identity (which API Gateway's
 * authorizer should make impossible; the handler answers 401 rather than trusting it).
 */
export function callerOf(event: ApiEvent, rules: CallerRules): Caller | undefined {
  const authorizer = event.requestContext.authorizer as Partial<APIGatewayProxyEventV2WithIAMAuthorizer['requestContext']['authorizer']
  & APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']> | undefined;
  const admin = event.rawPath.startsWith('/admin/');
  const iamArn = authorizer?.iam?.userArn;
  if (iamArn) {
    return { id: ownerOf(iamArn, rules), admin };
  }
  const claims = authorizer?.jwt?.claims;
  const subject = claims?.sub;
  if (typeof subject === 'string' && subject.length > 0) {
    return { id: `jwt:${String(claims?.iss ?? '')}#${subject}`, admin };
  }
  return undefined;
}

/**
 * The owner an IAM caller is. Whoever may assume a role picks the session name (`assumed-role/Dev/alice`):
 * unless the role fixes it, a session name would let one person act as another, so every session of such a
 * role is one owner, `assumed-role/Dev`.
 */
function ownerOf(userArn: string, rules: CallerRules): string {
  const session = /^(arn:[^:]+:sts::\d{12}:assumed-role\/([^/]+))\/[^/]+$/.exec(userArn);
  if (!session || IDENTITY_CENTER_ROLE.test(session[2]) || rules.sessionRoles.some((role) => samePrincipal(role, userArn))) {
    return userArn;
  }
  return session[1];
}

/** `OUTPOST_CALLERS` as the construct writes it; absent, no role's session names identify people. */
export function callerRulesOf(raw: string | undefined): CallerRules {
  if (raw === undefined || raw === '') {
    return { sessionRoles: [] };
  }
  const parsed = JSON.parse(raw) as { sessionRoles?: unknown };
  if (!Array.isArray(parsed.sessionRoles) || !parsed.sessionRoles.every((role) => typeof role === 'string')) {
    throw new Error('OUTPOST_CALLERS must be {"sessionRoles": [role ARN, ...]}');
  }
  return { sessionRoles: parsed.sessionRoles };
}
