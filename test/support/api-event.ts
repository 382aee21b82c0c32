/** A request to the API as a route's integration receives it. */
export interface ApiRequest {
  /** `METHOD /path/{param}`, as the route is declared. */
  readonly routeKey: string;
  /** The path as requested, parameters filled in. */
  readonly rawPath: string;
  /** The caller's IAM principal ARN, as IAM authorization establishes it; absent for no identity. */
  readonly caller?: string;
  readonly pathParameters?: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

/**
 * The Lambda event (HTTP API, payload format 2.0) API Gateway delivers for a request under IAM
 * authorization, with the fields the handlers read; absent parts are left out, as API Gateway leaves them.
 */
export function apiEvent(request: ApiRequest): unknown {
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
      authorizer: request.caller ? { iam: { userArn: request.caller } } : undefined,
    },
  };
}
