import * as http from 'http';
import type { AddressInfo } from 'net';
import { httpApiEvent, type ApiIdentity, type IamCaller } from './http-api-event';
import type { FunctionHost } from '../functions/function-host';
import type { RouteWiring } from '../template/wiring';

/** Who signed a request, or undefined when the signature does not hold (unsigned, unknown key, stale, altered). */
export type Authenticate = (request: http.IncomingMessage, url: URL, body: Buffer) => Promise<IamCaller | undefined>;
/** Whether the caller's policies allow `execute-api:Invoke` on the route's ARN. */
export type Authorize = (caller: IamCaller, action: string, resource: string) => Promise<boolean>;

export interface LocalHttpApiOptions {
  readonly api: ApiIdentity;
  readonly routes: ReadonlyArray<{ readonly wiring: RouteWiring; readonly host: FunctionHost }>;
  readonly authenticate: Authenticate;
  readonly authorize: Authorize;
  readonly log: (line: string) => void;
}

interface Answer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

const FORBIDDEN: Answer = json(403, { message: 'Forbidden' });

/**
 * The template's HTTP API on 127.0.0.1, as API Gateway serves it: the routes read from the template, each
 * request's SigV4 signature checked (`authenticate`) and `execute-api:Invoke` on the route's ARN allowed by the
 * caller's policies (`authorize`) before the route's function sees a payload 2.0 event; a route with
 * `AuthorizationType` other than AWS_IAM is served without either, as API Gateway would.
 */
export class LocalHttpApi {
  public static async start(options: LocalHttpApiOptions, port = 0): Promise<LocalHttpApi> {
    const api = new LocalHttpApi(options);
    await new Promise<void>((resolve) => api.server.listen(port, '127.0.0.1', resolve));
    return api;
  }

  private readonly server: http.Server;

  private constructor(private readonly options: LocalHttpApiOptions) {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        void this.answer(request, Buffer.concat(chunks)).then((answer) => {
          response.writeHead(answer.status, { ...answer.headers, 'apigw-requestid': Math.random().toString(36).slice(2) });
          response.end(answer.body);
        });
      });
    });
  }

  /** `http://127.0.0.1:<port>/`. */
  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async answer(request: http.IncomingMessage, body: Buffer): Promise<Answer> {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    const method = request.method ?? 'GET';
    const matched = matchRoute(this.options.routes, method, url.pathname, (route) => route.wiring);
    if (!matched) {
      return json(404, { message: 'Not Found' });
    }
    const { api } = this.options;
    let caller: IamCaller = { arn: '', accessKeyId: '', userId: '' };
    if (matched.route.wiring.authorization === 'AWS_IAM') {
      const authenticated = await this.options.authenticate(request, url, body);
      const resource = `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/$default/${method}${url.pathname}`;
      if (!authenticated || !await this.options.authorize(authenticated, 'execute-api:Invoke', resource)) {
        return FORBIDDEN;
      }
      caller = authenticated;
    }
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]));
    const event = httpApiEvent({
      method,
      routeKey: `${matched.route.wiring.method} ${matched.route.wiring.path}`,
      rawPath: url.pathname,
      query: url.searchParams,
      headers,
      pathParameters: matched.parameters,
      body,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
    }, caller, api);
    const outcome = await matched.route.host.invoke(event);
    if (!outcome.ok) {
      this.options.log(`${method} ${url.pathname}: ${matched.route.wiring.function} failed: ${outcome.errorType}: ${outcome.errorMessage}`);
      return json(500, { message: 'Internal Server Error' });
    }
    return proxyAnswer(outcome.result);
  }
}

/**
 * A function's answer as API Gateway turns it into a response (payload format 2.0): a `statusCode` answer as
 * given; anything else is a 200 with the answer as the JSON body.
 */
function proxyAnswer(result: unknown): Answer {
  const answer = result as { statusCode?: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean } | null;
  if (answer === null || typeof answer !== 'object' || typeof answer.statusCode !== 'number') {
    return json(200, result);
  }
  const body = answer.body === undefined ? undefined : Buffer.from(answer.body, answer.isBase64Encoded ? 'base64' : 'utf8');
  return { status: answer.statusCode, headers: answer.headers, body };
}

function json(status: number, body: unknown): Answer {
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
}

/** The route a request is for and its path parameters, as API Gateway matches them (one segment per `{name}`). */
export function matchRoute<R>(routes: readonly R[], method: string, pathname: string, declared: (route: R) => { method: string; path: string }):
{ route: R; parameters?: Record<string, string> } | undefined {
  for (const route of routes) {
    const names: string[] = [];
    const pattern = declared(route).path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const match = declared(route).method === method ? new RegExp(`^${pattern}$`).exec(pathname) : null;
    if (match) {
      const values = names.map((name, index): [string, string] => [name, decodeURIComponent(match[index + 1])]);
      return { route, parameters: values.length === 0 ? undefined : Object.fromEntries(values) };
    }
  }
  return undefined;
}
