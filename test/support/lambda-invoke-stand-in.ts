import { execFile } from 'child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);
/** Precedes the handler's answer on the child's stdout, where its logger writes too. */
const ANSWER = '\n--answer--';
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** One Invoke the stand-in took: the function named, and the event (the request body). */
export interface Invocation {
  readonly functionName: string;
  readonly event: unknown;
  /** The SigV4 credential scope the request was signed for (`<key>/<date>/<region>/<service>/aws4_request`). */
  readonly credentialScope: string | undefined;
}

/**
 * Lambda's Invoke API for one function, served on loopback, that runs a bundled handler (assets/handlers/<name>/index.js)
 * in a fresh Node.js process per call, as a cold start does, with the environment given: moto (the real SDK
 * clients of the handler against AWS_ENDPOINT_URL) cannot invoke a function without Docker.
 *
 * From the Lambda API Reference, Invoke (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html):
 * `POST /2015-03-31/functions/{FunctionName}/invocations` with the event as the body; 200 with the function's
 * answer as the body and `X-Amz-Executed-Version`; a function that threw answers 200 too, with
 * `X-Amz-Function-Error: Unhandled` and `{ errorType, errorMessage }`; an unknown function 404
 * ResourceNotFoundException, an unsigned request 403 (its Errors section), each error named by
 * `x-amzn-ErrorType` with `{ Type, message }` as the body (the API's common error shape).
 */
export class LambdaInvokeStandIn {
  static async start(functionName: string, bundle: string, env: Readonly<Record<string, string>>): Promise<LambdaInvokeStandIn> {
    const standIn = new LambdaInvokeStandIn(functionName, bundle, env);
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  readonly invocations: Invocation[] = [];
  private readonly server: Server;

  private constructor(
    private readonly functionName: string,
    private readonly bundle: string,
    private readonly env: Readonly<Record<string, string>>,
  ) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => error_(response, 500, 'ServiceException', 'Service', String(error)));
    });
  }

  /** The endpoint, as AWS_ENDPOINT_URL_LAMBDA. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const match = INVOKE_PATH.exec(new URL(request.url ?? '/', 'http://lambda').pathname);
    if (request.method !== 'POST' || !match) {
      return error_(response, 404, 'UnknownOperationException', 'User', `no operation ${request.method} ${request.url}`);
    }
    const authorization = request.headers.authorization ?? '';
    const credentialScope = /Credential=([^,]+)/.exec(authorization)?.[1];
    if (!authorization.startsWith('AWS4-HMAC-SHA256 ') || !credentialScope?.endsWith('/lambda/aws4_request')) {
      return error_(response, 403, 'AccessDeniedException', 'User', 'the request is not signed with SigV4 for lambda');
    }
    const functionName = decodeURIComponent(match[1]);
    if (functionName !== this.functionName) {
      return error_(response, 404, 'ResourceNotFoundException', 'User', `Function not found: ${functionName}`);
    }
    const event: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
    this.invocations.push({ functionName, event, credentialScope });
    const script = `require(${JSON.stringify(this.bundle)}).handler(JSON.parse(process.argv[1]))`
      + `.then((answer) => process.stdout.write(${JSON.stringify(ANSWER)} + JSON.stringify(answer ?? null)),`
      + ` (error) => process.stdout.write(${JSON.stringify(ANSWER)} + JSON.stringify({ errorType: error.name, errorMessage: error.message, unhandled: true })))`;
    const { stdout } = await execFileAsync(process.execPath, ['-e', script, JSON.stringify(event)], { env: { ...this.env } });
    const answer = stdout.slice(stdout.lastIndexOf(ANSWER) + ANSWER.length);
    const unhandled = (JSON.parse(answer) as { unhandled?: boolean } | null)?.unhandled === true;
    response.writeHead(200, {
      'content-type': 'application/json',
      'x-amz-executed-version': '$LATEST',
      ...(unhandled && { 'x-amz-function-error': 'Unhandled' }),
    }).end(answer);
  }
}

function error_(response: ServerResponse, status: number, type: string, kind: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': `${type}:` }).end(JSON.stringify({ Type: kind, message }));
}
