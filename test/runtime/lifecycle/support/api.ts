/** A Lambda handler as a test invokes it. */
export type Handler = (event: any) => Promise<any>;

export interface Response {
  readonly statusCode: number;
  readonly body: any;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly id?: string;
  readonly query?: Record<string, string>;
}

/** An API Gateway (HTTP API, payload 2.0) request as IAM authorization delivers it. */
export function request(routeKey: string, caller: string | undefined, options: RequestOptions = {}): unknown {
  const [, path] = routeKey.split(' ');
  return {
    routeKey,
    rawPath: path.replace('{id}', options.id ?? ''),
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    isBase64Encoded: false,
    pathParameters: options.id ? { id: options.id } : undefined,
    queryStringParameters: options.query,
    requestContext: { authorizer: caller ? { iam: { userArn: caller } } : undefined },
  };
}

/** Invoke an API handler; its JSON body parsed. */
export async function call(handler: Handler, event: unknown): Promise<Response> {
  const response = await handler(event);
  return { statusCode: response.statusCode, body: JSON.parse(response.body) };
}
