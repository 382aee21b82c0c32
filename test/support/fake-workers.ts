import type { IncomingMessage, Server, ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import type { AgentName } from '../../runtime/contracts/agent-names';
import { createAssignmentSchema, type Assignment } from '../../runtime/contracts/assignment';
import { createWorkerServer } from '../../runtime/worker/http-server';
import { Logger } from '../../runtime/worker/logger';
import { Redactor } from '../../runtime/worker/redactor';

/** What a fake worker was pushed, and what it answered. */
export interface Push {
  /** The `dispatchId` of the body, where the body was JSON with one. */
  readonly dispatchId: unknown;
  readonly status: number;
}

/** A worker's HTTP API, answered by the real worker's server, that records every push instead of running an agent. */
export interface FakeWorker {
  /** Its address: 127.0.0.2, 127.0.0.3… (all of 127.0.0.0/8 is loopback). */
  readonly privateIp: string;
  /** The task's worker token (what it decrypted from OUTPOST_WORKER_TOKEN_CIPHERTEXT); set it once the task it stands for was started. */
  token: string;
  /** Every request but `/healthz` (what the hand-off asks first, to know the worker listens), in order. */
  readonly pushes: Push[];
  /** The assignment it accepted, as the real worker's schema parsed it. */
  assignment?: Assignment;
}

export interface FakeWorkerFleet {
  /** The worker port: every worker listens on it, each at its own address, as tasks in a VPC do. */
  readonly port: number;
  readonly workers: readonly FakeWorker[];
  close(): Promise<void>;
}

/**
 * `count` workers of `agent`, each the real worker's HTTP server (runtime/worker/http-server.ts: its routes,
 * status codes, error codes and headers) over a stand-in for its supervisor: the first valid assignment is
 * accepted and nothing runs, so the worker stays `busy` and refuses any other with 409 `already_assigned`.
 */
export async function startFakeWorkers(count: number, agent: AgentName): Promise<FakeWorkerFleet> {
  const schema = createAssignmentSchema({ agent });
  const workers: FakeWorker[] = [];
  const servers: Server[] = [];
  let port = 0;
  for (let index = 0; index < count; index++) {
    const worker: FakeWorker = { privateIp: `127.0.0.${index + 2}`, token: '', pushes: [] };
    let accepted = false;
    const server = createWorkerServer({
      // Read on every request: the token is set once the task this worker stands for was started.
      get token() {
        return worker.token;
      },
      schema,
      api: {
        get state() {
          return accepted ? 'busy' : 'idle';
        },
        accept: (assignment) => {
          if (accepted) {
            return false;
          }
          accepted = true;
          worker.assignment = assignment;
          return true;
        },
      },
      // A real worker's log lines go to CloudWatch; here they would only bury the test's own output.
      logger: new Logger(new Redactor(), null, () => undefined),
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => recordPush(worker, request, response));
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

/**
 * Records the request once it was answered and read to its end. The worker's server reads the body itself
 * (or, refusing early, not at all); this listener reads the same chunks alongside it.
 */
function recordPush(worker: FakeWorker, request: IncomingMessage, response: ServerResponse): void {
  if (new URL(request.url ?? '/', 'http://worker').pathname === '/healthz') {
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  const read = new Promise<void>((resolve) => request.once('end', resolve).once('close', resolve));
  const answered = new Promise<void>((resolve) => response.once('finish', resolve).once('close', resolve));
  void Promise.all([read, answered]).then(() => worker.pushes.push({ dispatchId: dispatchIdOf(Buffer.concat(chunks)), status: response.statusCode }));
}

function dispatchIdOf(body: Buffer): unknown {
  try {
    return (JSON.parse(body.toString('utf8')) as { dispatchId?: unknown } | null)?.dispatchId;
  } catch {
    return undefined;
  }
}
