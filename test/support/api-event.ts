import { documentedFixture, shapeDifferences } from './documented-shape';

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
 * API Gateway's documented payload format 2.0 (fixtures/api-gateway-http-payload-2.0.json names its sources):
 * the developer guide's request and response examples, and the IAM authorizer context of AWS's IAM-authorized
 * example. A fresh copy each call.
 */
export function documentedApiPayload(): { source: string; request: any; response: any; iamAuthorizer: any } {
  return documentedFixture('api-gateway-http-payload-2.0.json');
}

/**
 * The authorizer context IAM authorization gives a caller: the documented one with the caller's principal ARN
 * and account. A principal that is neither a Cognito identity nor in an organization has those fields null.
 */
export function iamAuthorizer(userArn: string): unknown {
  const { iam } = documentedApiPayload().iamAuthorizer;
  const account = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(userArn)?.[1] ?? iam.accountId;
  return { iam: { ...iam, accountId: account, userArn, cognitoIdentity: null, principalOrgId: null } };
}

/**
 * The Lambda event (HTTP API, payload format 2.0) API Gateway delivers for a request: the documented example
 * with the request's route, path, query, body and authorizer context in it. What this API never sends is left
 * out as API Gateway leaves it out: cookies, stage variables and a client certificate (the API has none), path
 * parameters, a query and a body when the request has none.
 */
export function apiEvent(request: ApiRequest): unknown {
  const { request: documented } = documentedApiPayload();
  const authorizer = 'authorizer' in request ? request.authorizer : request.caller ? iamAuthorizer(request.caller) : undefined;
  const { authentication: _clientCertificate, ...requestContext } = documented.requestContext;
  const { cookies: _cookies, stageVariables: _stageVariables, ...event } = documented;
  // Through JSON, as Lambda delivers it: a part the request has none of is absent, not undefined.
  return JSON.parse(JSON.stringify({
    ...event,
    routeKey: request.routeKey,
    rawPath: request.rawPath,
    rawQueryString: new URLSearchParams(request.queryStringParameters ?? {}).toString(),
    // Header names are lowercase in format 2.0; these two are on every request, from the example's own values.
    headers: { 'host': requestContext.domainName, 'user-agent': requestContext.http.userAgent },
    queryStringParameters: request.queryStringParameters,
    pathParameters: request.pathParameters,
    body: request.body,
    isBase64Encoded: request.isBase64Encoded ?? false,
    requestContext: {
      ...requestContext,
      routeKey: request.routeKey,
      http: { ...requestContext.http, method: request.routeKey.split(' ')[0], path: request.rawPath },
      authorizer,
    },
  }));
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

/**
 * The authorizer context of a request that an OIDC issuer's JWT authorized: the documented `jwt` context with
 * these claims. The platform's JWT authorizer requires no scopes, so API Gateway sends none (null).
 */
export function jwtAuthorizer(claims: Record<string, unknown>): unknown {
  return { jwt: { claims, scopes: null } };
}

/** Why API Gateway would not take `response` as a format 2.0 answer as the handler means it; none when it would. */
export function responseProblems(response: unknown): string[] {
  const problems = shapeDifferences(response, documentedApiPayload().response, {
    optional: ['cookies', 'isBase64Encoded', 'headers', 'body'],
    openMaps: ['headers'],
  });
  const status = (response as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
    problems.push(`statusCode: ${status} is not an HTTP status`);
  }
  return problems;
}

/** The handler's answer to `event`, refused unless it is a format 2.0 response API Gateway takes as it is. */
export async function callApi(handler: ApiHandler, event: unknown): Promise<ApiAnswer> {
  const response = await handler(event);
  const problems = responseProblems(response);
  if (problems.length > 0) {
    throw new Error(`not a payload format 2.0 response (${documentedApiPayload().source}): ${problems.join('; ')}`);
  }
  return { statusCode: response.statusCode, headers: response.headers, body: JSON.parse(response.body) };
}
