export type Handler = (event: any) => Promise<any>;
export interface Response { statusCode: number; body: any }

export interface RequestOptions {
  body?: unknown;
  /** The `{id}` path parameter. */
  id?: string;
  /** Other path parameters, by name. */
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
}

/** An API Gateway (HTTP API, payload 2.0) request as IAM authorization delivers it. */
export function request(routeKey: string, caller: string | undefined, options: RequestOptions = {}): unknown {
  const [, path] = routeKey.split(' ');
  const parameters: Record<string, string> = { ...(options.id !== undefined && { id: options.id }), ...options.pathParameters };
  return {
    routeKey,
    rawPath: path.replace(/\{(\w+)\}/g, (_, name: string) => parameters[name] ?? ''),
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    isBase64Encoded: false,
    pathParameters: Object.keys(parameters).length > 0 ? parameters : undefined,
    queryStringParameters: options.query,
    requestContext: { authorizer: caller ? { iam: { userArn: caller } } : undefined },
  };
}

/** Invoke a handler with `event` and parse its JSON body. */
export async function call(handler: Handler, event: unknown): Promise<Response> {
  const response = await handler(event);
  return { statusCode: response.statusCode, body: JSON.parse(response.body) };
}
