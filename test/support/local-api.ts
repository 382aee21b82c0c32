import { createHash, randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { apiEvent } from './api-event';
import { synthDeployedApi, type ApiGrant, type DeployedApi } from './deployed-api';
import { matchRoute } from '../../runtime/local/api/http-api';

/** Someone the local API knows: an IAM principal with access keys and one of the construct's grants. */
export interface LocalCaller {
  /** The principal ARN the API reports as `requestContext.authorizer.iam.userArn`. */
  readonly arn: string;
  readonly grant: ApiGrant;
}

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface LocalApiOptions {
  readonly callers: Readonly<Record<string, LocalCaller>>;
  /** Set before the handlers load, as the construct sets each function's environment (OUTPOST_CONFIG…). */
  readonly environment: Readonly<Record<string, string>>;
  readonly region?: string;
  /**
   * What the platform does after a request, outside the API, run before the answer goes back so that a test's
   * next request sees it: e.g. the starter's cold starts (`MotoPlatform.deliverColdStarts`).
   */
  readonly afterEachRequest?: () => Promise<unknown>;
}

export interface LocalApi {
  /** `http://127.0.0.1:<port>/`, the API's base URL. */
  readonly endpoint: string;
  readonly region: string;
  /** Errors handlers threw (answered 500, as API Gateway answers a failed invocation). */
  readonly handlerErrors: unknown[];
  /** Access keys of each caller, by the name given in `callers`. */
  credentials(caller: string): LocalCredentials;
  /**
   * The environment of someone who reaches this API as `caller` from a terminal (the `outpost` bin): the
   * endpoint, the Region and their access keys, and no shared AWS config or credentials files to fall back on.
   */
  userEnvironment(caller: string): Record<string, string>;
  stop(): Promise<void>;
}

type Handler = (event: unknown) => Promise<{ statusCode: number; headers?: Record<string, string>; body?: string }>;
interface Answer { readonly status: number; readonly body: unknown; readonly headers?: Record<string, string> }

/** API Gateway refuses a request whose signature is older or newer than this. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const REPOSITORY = path.resolve(__dirname, '..', '..');
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
/** A folder that does not exist: where the callers' AWS config and credentials files are not. */
const NO_FILES = path.join(REPOSITORY, 'test', 'support', 'no-aws-files');
const FORBIDDEN: Answer = { status: 403, body: { message: 'Forbidden' } };

let deployed: DeployedApi | undefined;

/**
 * An HTTP server on 127.0.0.1 that plays API Gateway's HTTP API under IAM authorization, in front of the real
 * handler modules (runtime/handlers/<name>/index.ts): it matches the routes the construct deploys (read from
 * its synthesized template), checks each request's SigV4 signature as AWS would (a missing, wrong or stale
 * one is 403 `{"message":"Forbidden"}`), lets each caller invoke what its grant's policy allows, and hands
 * the handler the payload 2.0 event IAM authorization delivers.
 */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  deployed ??= synthDeployedApi();
  const api = deployed;
  const region = options.region ?? 'us-east-1';
  const keys = new Map(Object.entries(options.callers).map(([name, caller]) => [name, {
    caller,
    credentials: { accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64') },
  }]));
  const byAccessKey = new Map([...keys.values()].map((entry) => [entry.credentials.accessKeyId, entry]));

  const saved = Object.fromEntries(Object.keys(options.environment).map((name) => [name, process.env[name]]));
  Object.assign(process.env, options.environment);
  // Handlers read their configuration when they load, as on a Lambda cold start: load them only now (through
  // jest, which compiles them).
  const handlers = new Map<string, Handler>();
  for (const handler of new Set(api.routes.map((route) => route.handler))) {
    handlers.set(handler, jest.requireActual<{ handler: Handler }>(path.join(REPOSITORY, 'runtime', 'handlers', handler)).handler);
  }

  const handlerErrors: unknown[] = [];
  async function answer(request: http.IncomingMessage, body: Buffer): Promise<Answer> {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const matched = matchRoute(api.routes, request.method ?? '', url.pathname, (route) => route);
    if (!matched) {
      return { status: 404, body: { message: 'Not Found' } };
    }
    const entry = byAccessKey.get(await verifiedAccessKey(request, url, body, region, byAccessKey));
    if (!entry || !mayInvoke(api.invocable[entry.caller.grant], request.method ?? '', url.pathname)) {
      return FORBIDDEN;
    }
    const event = apiEvent({
      routeKey: `${matched.route.method} ${matched.route.path}`,
      rawPath: url.pathname,
      caller: entry.caller.arn,
      pathParameters: matched.parameters,
      queryStringParameters: url.search === '' ? undefined : Object.fromEntries(url.searchParams),
      body: body.length === 0 ? undefined : body.toString('utf8'),
    });
    try {
      const response = await handlers.get(matched.route.handler)!(event);
      await options.afterEachRequest?.();
      return { status: response.statusCode, headers: response.headers, body: response.body === undefined ? undefined : JSON.parse(response.body) };
    } catch (error) {
      handlerErrors.push(error);
      return { status: 500, body: { message: 'Internal Server Error' } };
    }
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void answer(request, Buffer.concat(chunks)).then(({ status, body, headers }) => {
        response.writeHead(status, { ...headers, 'content-type': 'application/json', 'apigw-requestid': randomBytes(8).toString('hex') });
        response.end(body === undefined ? undefined : JSON.stringify(body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const localApi: LocalApi = {
    endpoint: `http://127.0.0.1:${port}/`,
    region,
    handlerErrors,
    credentials(caller) {
      const entry = keys.get(caller);
      if (!entry) {
        throw new Error(`no caller named ${caller}`);
      }
      return entry.credentials;
    },
    userEnvironment(caller) {
      const { accessKeyId, secretAccessKey } = this.credentials(caller);
      return {
        OUTPOST_ENDPOINT: this.endpoint,
        AWS_REGION: region,
        AWS_ACCESS_KEY_ID: accessKeyId,
        AWS_SECRET_ACCESS_KEY: secretAccessKey,
        AWS_CONFIG_FILE: path.join(NO_FILES, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(NO_FILES, 'credentials'),
      };
    },
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) {
          delete process.env[name];
        } else {
          process.env[name] = value;
        }
      }
    },
  };
  return localApi;
}

/** IAM's reading of an `execute-api:Invoke` resource: `*` stands for any characters, `/` included. */
function mayInvoke(resources: readonly string[], method: string, pathname: string): boolean {
  const requested = `/$default/${method}${pathname}`;
  return resources.some((resource) => new RegExp(`^${resource.split('*').map(escapeRegExp).join('.*')}$`).test(requested));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The access key whose secret signed this request, or '' when it is unsigned, signed by no known key, for
 * another service or Region, stale, or altered since it was signed: the signature is computed again from the
 * request as received (method, path, query, the signed headers, and the body's hash) and must be the same.
 */
async function verifiedAccessKey(
  request: http.IncomingMessage, url: URL, body: Buffer, region: string, known: ReadonlyMap<string, { credentials: LocalCredentials }>,
): Promise<string> {
  const [, accessKeyId, day, scopeRegion, service, signedHeaders, signature] = AUTHORIZATION.exec(String(request.headers.authorization ?? '')) ?? [];
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const signedAt = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const entry = accessKeyId ? known.get(accessKeyId) : undefined;
  const names = signedHeaders?.split(';') ?? [];
  if (!entry || scopeRegion !== region || service !== 'execute-api' || day !== amzDate.slice(0, 8)
    || !names.includes('host') || !names.includes('x-amz-date') || !(Math.abs(Date.now() - signedAt.getTime()) <= MAX_CLOCK_SKEW_MS)) {
    return '';
  }
  const contentHash = request.headers['x-amz-content-sha256'];
  if (contentHash !== undefined && contentHash !== createHash('sha256').update(body).digest('hex')) {
    return '';
  }
  const signer = new SignatureV4({ service, region, credentials: entry.credentials, sha256: Sha256, applyChecksum: false });
  const expected = await signer.sign({
    method: request.method ?? '',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(names.map((name) => [name, String(request.headers[name] ?? '')])),
    body: body.length === 0 ? undefined : body.toString('utf8'),
  }, { signingDate: signedAt });
  return AUTHORIZATION.exec(expected.headers.authorization)?.[6] === signature ? accessKeyId : '';
}
