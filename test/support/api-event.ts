/** A Lambda handler behind the API, as the tests invoke it. */
export type ApiHandler = (event: any) => Promise<any>;

/** A handler's answer, its body parsed: a body that is not JSON throws. */
export interface ApiAnswer {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: any;
}

export interface ApiRequestOptions {
  /** Sent as it is when a string, otherwise as JSON. */
  readonly body?: unknown;
  readonly isBase64Encoded?: boolean;
  /** The `{id}` path parameter; the empty string or none leaves `pathParameters` out. */
  readonly id?: string;
  readonly query?: Record<string, string>;
  /** The authorizer context as it is, in place of the one `caller` makes (an IAM principal ARN). */
  readonly authorizer?: unknown;
}

/**
 * An API Gateway (HTTP API, payload 2.0) request as IAM authorization delivers it: `routeKey` such as
 * `GET /dispatch/{id}`, and the caller's principal ARN, or undefined for a request without identity.
 */
export function apiRequest(routeKey: string, caller: string | undefined, options: ApiRequestOptions = {}): unknown {
  const [, path] = routeKey.split(' ');
  const authorizer = 'authorizer' in options ? options.authorizer : caller ? { iam: { userArn: caller } } : undefined;
  return {
    routeKey,
    rawPath: path.replace('{id}', () => options.id ?? ''),
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    isBase64Encoded: options.isBase64Encoded ?? false,
    pathParameters: options.id ? { id: options.id } : undefined,
    queryStringParameters: options.query,
    requestContext: { authorizer },
  };
}

/** The authorizer context of a request that an OIDC issuer's JWT authorized. */
export function jwtAuthorizer(claims: Record<string, unknown>): unknown {
  return { jwt: { claims, scopes: null } };
}

export async function callApi(handler: ApiHandler, event: unknown): Promise<ApiAnswer> {
  const response = await handler(event);
  return { statusCode: response.statusCode, headers: response.headers, body: JSON.parse(response.body) };
}
