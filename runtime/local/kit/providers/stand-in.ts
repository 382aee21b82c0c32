import * as http from 'http';
import type { AddressInfo } from 'net';
import type { ModelUsage } from '../../../contracts/token-usage';

/**
 * What every provider stand-in can answer instead of its script, with the provider's own status and error body:
 * a bad key (401), throttling past the CLI's retries (429), a server error (500), a model that is gone (410).
 */
export type ProviderFailure = 'unauthorized' | 'throttled' | 'server-error' | 'gone';

/**
 * A prompt that contains this makes the stand-in slow: it answers none of the conversation's requests and holds
 * each open until the client goes away, as a model that never finishes its answer. Outpost Local's end-to-end
 * tests (test/local/lifecycles.e2e.test.ts) use it for a run that outlives its timeout, a worker killed mid-run and
 * a worker that hangs. Only the Anthropic stand-in (Claude Code's and Aider's) honours it.
 */
export const HOLD_MARKER = '[outpost-local: hold the answer]';

/** Whether a request body carries {@link HOLD_MARKER} anywhere (the prompt, in whatever shape the API nests it). */
export function asksToHold(body: unknown): boolean {
  return JSON.stringify(body ?? null).includes(HOLD_MARKER);
}

/** One request a stand-in got. */
export interface RecordedRequest {
  /** `METHOD /path`, or the path alone. */
  readonly path: string;
  /** The model the request asked for, where it names one. */
  readonly model?: string;
  readonly body: unknown;
}

/** A provider's API on 127.0.0.1, scripted to make an agent CLI edit a file (test/conformance/README.md). */
export interface ProviderStandIn {
  readonly url: string;
  readonly port: number;
  readonly requests: readonly RecordedRequest[];
  /** What it reported, summed per model id: the conformance test compares result.json's modelUsage with it. */
  reportedUsage(): ModelUsage[];
  stop(): Promise<void>;
}

/**
 * `server` listening on a free loopback port, as a stand-in whose URL ends in `basePath` (the API's version prefix,
 * where the CLI's base-URL setting includes it). `stop()` drops open keep-alive connections too: a CLI's pooled
 * connection would otherwise hold the server, and jest, open.
 */
export async function serveStandIn(
  server: http.Server,
  record: { readonly requests: readonly RecordedRequest[]; readonly reportedUsage: () => ModelUsage[] },
  basePath = '',
): Promise<ProviderStandIn> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    port,
    requests: record.requests,
    reportedUsage: record.reportedUsage,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * What a stand-in does with one request, once its whole body is read: JSON when it parses, else its text; and the
 * bytes as they came (what a signature covers).
 */
export type StandInHandler = (request: http.IncomingMessage, response: http.ServerResponse, body: any, raw: Buffer) => void;

/** An HTTP server that reads each request's body before handing it on: the APIs stood in for all take JSON. */
export function jsonBodyServer(handle: StandInHandler): http.Server {
  return http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = raw.toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      handle(request, response, body, raw);
    });
  });
}
