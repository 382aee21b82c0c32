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
  /** Other path parameters, by name (`{name}` of `DELETE /workspaces/{name}`). */
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** The authorizer context as it is, in place of the one `caller` makes (an IAM principal ARN). */
  readonly authorizer?: unknown;
}

/** A request to the API as a route's integration receives it. */
export interface ApiRequest {
  /** `METHOD /path/{param}`, as the route is declared. */
  readonly routeKey: string;
  /** The path as requested, parameters filled in. */
  readonly rawPath: string;
  /** The caller's IAM principal ARN, as IAM authorization establishes it; absent for no identity. */
  readonly caller?: string;
  /** The authorizer context as it is, in place of the one `caller` makes. */
  readonly authorizer?: unknown;
  readonly pathParameters?: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

/**
 * The Lambda event (HTTP API, payload format 2.0) API Gateway delivers for a request, with the fields the
 * handlers read; absent parts are left out, as API Gateway leaves them.
 */
export function apiEvent(request: ApiRequest): unknown {
  const authorizer = 'authorizer' in request ? request.authorizer : request.caller ? { iam: { userArn: request.caller } } : undefined;
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.rawPath,
    body: request.body,
    isBase64Encoded: request.isBase64Encoded ?? false,
    pathParameters: request.pathParameters,
    queryStringParameters: request.queryStringParameters,
    requestContext: {
      routeKey: request.routeKey,
      stage: '$default',
      http: { method: request.routeKey.split(' ')[0], path: request.rawPath },
      authorizer,
    },
  };
}

/**
 * A request to a route, as IAM authorization delivers it: `routeKey` such as `GET /dispatch/{id}`, and the
 * caller's principal ARN, or undefined for a request without identity.
 */
export function apiRequest(routeKey: string, caller: string | undefined, options: ApiRequestOptions = {}): unknown {
  const [, path] = routeKey.split(' ');
  const parameters: Record<string, string> = { ...(options.id && { id: options.id }), ...options.pathParameters };
  return apiEvent({
    routeKey,
    rawPath: path.replace(/\{(\w+)\}/g, (_, name: string) => parameters[name] ?? ''),
    caller,
    ...('authorizer' in options && { authorizer: options.authorizer }),
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    isBase64Encoded: options.isBase64Encoded,
    pathParameters: Object.keys(parameters).length > 0 ? parameters : undefined,
    queryStringParameters: options.query,
  });
}

/** The authorizer context of a request that an OIDC issuer's JWT authorized. */
export function jwtAuthorizer(claims: Record<string, unknown>): unknown {
  return { jwt: { claims, scopes: null } };
}

export async function callApi(handler: ApiHandler, event: unknown): Promise<ApiAnswer> {
  const response = await handler(event);
  return { statusCode: response.statusCode, headers: response.headers, body: JSON.parse(response.body) };
}
