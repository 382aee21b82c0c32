import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import { hasBearerToken } from './bearer-token';
import type { Logger } from './logger';
import type { WorkerState } from './supervisor';
import { describeProblem, type Assignment, type createAssignmentSchema } from '../contracts/assignment';

/** The largest assignment accepted: the prompt's 100,000 characters, in UTF-8, with room to spare. */
export const MAX_BODY_BYTES = 256 * 1024;

const ALREADY_ASSIGNED = { code: 'already_assigned', message: 'this worker has already accepted its assignment' };

export interface WorkerApi {
  readonly state: WorkerState;
  accept(assignment: Assignment): boolean;
}

export interface WorkerServerOptions {
  readonly token: string;
  readonly schema: ReturnType<typeof createAssignmentSchema>;
  readonly api: WorkerApi;
  readonly logger: Logger;
}

/**
 * The worker's HTTP API, reached only by the control plane (the security group admits nothing else):
 * `GET /healthz` without authentication, `POST /assignment` with the per-task bearer token.
 */
export function createWorkerServer(options: WorkerServerOptions): Server {
  return createServer((request, response) => {
    handle(request, response, options).catch((error: unknown) => {
      options.logger.error('http', 'request failed', { error: String(error) });
      if (!response.headersSent) {
        sendError(response, 500, { code: 'internal_error', message: 'the worker could not handle the request' });
      }
    });
  });
}

async function handle(request: IncomingMessage, response: ServerResponse, options: WorkerServerOptions): Promise<void> {
  const { pathname } = new URL(request.url ?? '/', 'http://worker');
  if (pathname === '/healthz') {
    if (request.method !== 'GET') {
      return sendError(response, 405, { code: 'method_not_allowed', message: 'use GET' }, { allow: 'GET' });
    }
    return send(response, 200, { state: options.api.state });
  }
  if (pathname !== '/assignment') {
    return sendError(response, 404, { code: 'not_found', message: `no route for ${pathname}` });
  }
  if (request.method !== 'POST') {
    return sendError(response, 405, { code: 'method_not_allowed', message: 'use POST' }, { allow: 'POST' });
  }
  if (!hasBearerToken(request.headers.authorization, options.token)) {
    options.logger.warn('http', 'refused an assignment without a valid bearer token', { remoteAddress: request.socket.remoteAddress });
    return sendError(response, 401, { code: 'unauthorized', message: 'a valid bearer token is required' }, { 'www-authenticate': 'Bearer' });
  }
  if (options.api.state !== 'idle') {
    return sendError(response, 409, ALREADY_ASSIGNED);
  }
  const body = await readBody(request);
  if (body === undefined) {
    return sendError(response, 413, { code: 'payload_too_large', message: `the assignment must be at most ${MAX_BODY_BYTES} bytes` });
  }
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return sendError(response, 400, { code: 'invalid_json', message: 'the body is not JSON' });
  }
  const parsed = options.schema.safeParse(document);
  if (!parsed.success) {
    const { field, message } = describeProblem(parsed.error);
    return sendError(response, 400, { code: 'invalid_assignment', message: field ? `${field} ${message}` : message, field });
  }
  if (!options.api.accept(parsed.data)) {
    return sendError(response, 409, ALREADY_ASSIGNED);
  }
  return send(response, 202, { accepted: true, dispatchId: parsed.data.dispatchId });
}

/**
 * The body as text, or undefined when it is larger than MAX_BODY_BYTES. The rest of an oversized body is
 * read and dropped rather than the socket destroyed, so that the client still gets its 413.
 */
function readBody(request: IncomingMessage): Promise<string | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    request.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
      } else {
        resolve(undefined);
      }
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

interface ApiError {
  readonly code: string;
  readonly message: string;
  /** The assignment field at fault, for a 400 from the schema. */
  readonly field?: string | null;
}

function sendError(response: ServerResponse, status: number, { code, message, field = null }: ApiError, headers: Record<string, string> = {}): void {
  send(response, status, { error: { code, message, field } }, headers);
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}
