import * as http from 'http';
import type { AddressInfo } from 'net';
import type { AgentName } from '../../runtime/worker/agents/types';
import { createAssignmentSchema } from '../../runtime/worker/assignment';
import { hasBearerToken } from '../../runtime/worker/bearer-token';

/** What a fake worker was pushed, and what it answered. */
export interface Push {
  readonly dispatchId: unknown;
  readonly status: number;
}

/** A worker's `POST /assignment` endpoint, as `runtime/worker` answers it, that records every push. */
export interface FakeWorker {
  /** Its address: 127.0.0.2, 127.0.0.3… (all of 127.0.0.0/8 is loopback). */
  readonly privateIp: string;
  /** The task's worker token (OUTPOST_WORKER_TOKEN); set it once the task it stands for was started. */
  token: string;
  readonly pushes: Push[];
}

export interface FakeWorkerFleet {
  /** The worker port: every worker listens on it, each at its own address, as tasks in a VPC do. */
  readonly port: number;
  readonly workers: readonly FakeWorker[];
  close(): Promise<void>;
}

/**
 * `count` workers of `agent` that answer as the real worker does (runtime/worker/README.md, "HTTP API"):
 * `GET /healthz` with their state; 401 without their token, 400 for an assignment its schema refuses, 409 once
 * they accepted one, else `202 {"accepted":true,"dispatchId"}`.
 */
export async function startFakeWorkers(count: number, agent: AgentName): Promise<FakeWorkerFleet> {
  const schema = createAssignmentSchema({ agent });
  const workers: FakeWorker[] = [];
  const servers: http.Server[] = [];
  let port = 0;
  for (let index = 0; index < count; index++) {
    const worker: FakeWorker = { privateIp: `127.0.0.${index + 2}`, token: '', pushes: [] };
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const answer = (status: number, body: unknown, dispatchId?: unknown) => {
          worker.pushes.push({ dispatchId, status });
          response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        };
        if (request.method === 'GET' && request.url === '/healthz') {
          // What the hand-off asks first, to know the worker listens; not a push.
          const state = worker.pushes.some((push) => push.status === 202) ? 'busy' : 'idle';
          return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ state }));
        }
        if (request.method !== 'POST' || request.url !== '/assignment') {
          return answer(404, { error: { code: 'NotFound', message: 'no such route' } });
        }
        if (!worker.token || !hasBearerToken(request.headers.authorization, worker.token)) {
          return answer(401, { error: { code: 'Unauthorized', message: 'a bearer token is required' } });
        }
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return answer(400, { error: { code: 'MalformedJson', message: 'the body is not JSON' } });
        }
        const parsed = schema.safeParse(body);
        const dispatchId = (body as { dispatchId?: unknown } | null)?.dispatchId;
        if (!parsed.success) {
          return answer(400, { error: { code: 'InvalidAssignment', message: parsed.error.message } }, dispatchId);
        }
        if (worker.pushes.some((push) => push.status === 202)) {
          return answer(409, { error: { code: 'AlreadyAssigned', message: 'this worker has its assignment' } }, dispatchId);
        }
        return answer(202, { accepted: true, dispatchId }, dispatchId);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, worker.privateIp, resolve);
    });
    port = (server.address() as AddressInfo).port;
    workers.push(worker);
    servers.push(server);
  }
  return {
    port,
    workers,
    close: async () => {
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })));
    },
  };
}
