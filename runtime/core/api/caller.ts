import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

/** Who is calling, as the API's authorizer established it. */
export interface Caller {
  /** The owner recorded on dispatches and workspaces: an IAM principal ARN or `jwt:<issuer>#<sub>`. */
  readonly id: string;
  /**
   * True on `/admin/...` routes. Only principals granted `grantAdmin` can invoke them: API Gateway checks
   * the IAM permission per route, so the handler needs no list of admins.
   */
  readonly admin: boolean;
}

type ApiEvent = APIGatewayProxyEventV2WithIAMAuthorizer | APIGatewayProxyEventV2WithJWTAuthorizer;

/**
 * The caller of an API request, or undefined when the request carries no identity (which API Gateway's
 * authorizer should make impossible; the handler answers 401 rather than trusting it).
 */
export function callerOf(event: ApiEvent): Caller | undefined {
  const authorizer = event.requestContext.authorizer as Partial<APIGatewayProxyEventV2WithIAMAuthorizer['requestContext']['authorizer']
  & APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']> | undefined;
  const admin = event.rawPath.startsWith('/admin/');
  const iamArn = authorizer?.iam?.userArn;
  if (iamArn) {
    // An assumed-role ARN names the role and session (`assumed-role/Dev/alice`): stable across one person's sessions.
    return { id: iamArn, admin };
  }
  const claims = authorizer?.jwt?.claims;
  const subject = claims?.sub;
  if (typeof subject === 'string' && subject.length > 0) {
    return { id: `jwt:${String(claims?.iss ?? '')}#${subject}`, admin };
  }
  return undefined;
}

