import * as http from 'http';
import * as https from 'https';
import type { AddressInfo, Socket } from 'net';
import { Meter, type Budget } from './meter';
import { BUDGET_STATUS, PROVIDER_NAMES, PROVIDERS, type Provider, type ProviderName } from './providers';
import { ResponseBody } from './response-body';
import { readGatewayPort, readUpstreams, type Upstream } from './upstreams';
import type { ModelUsage } from '../../contracts/token-usage';
import type { Logger } from '../logger';

export interface GatewayOptions {
  /** The worker's environment: the providers' keys, and test-only upstream overrides. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly budget?: Budget;
  /** Test-only: the CA the upstreams' certificates chain to, instead of node's own (in a task: NODE_EXTRA_CA_CERTS, or nothing). */
  readonly upstreamCa?: string;
  readonly logger?: Logger;
  /** Called once, when the spend first reaches the budget. */
  readonly onBudgetExceeded?: (spentUsd: number, limitUsd: number) => void;
}

/** Headers that belong to one connection (RFC 9110 §7.6.1), never forwarded, and the proxy's own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

/**
 * The model gateway: a loopback HTTP server through which the agent's CLI reaches its provider
 * (`http://127.0.0.1:<port>/<provider>/…`). The CLI holds a placeholder key; the gateway drops it, adds the task's
 * real key, forwards over TLS to the provider, streams the answer back unchanged, and reads the usage in it as it
 * passes (the run's authoritative meter). Once the spend reaches the budget it forwards nothing more and answers in
 * the provider's error shape. docs/security.md, "Model gateway".
 */
export class ModelGateway {
  public static async start(options: GatewayOptions): Promise<ModelGateway> {
    const gateway = new ModelGateway(options);
    await new Promise<void>((resolve, reject) => {
      gateway.server.once('error', reject);
      gateway.server.listen(readGatewayPort(options.env), '127.0.0.1', resolve);
    });
    return gateway;
  }

  public readonly meter: Meter;
  private readonly server: http.Server;
  private readonly upstreams: Map<ProviderName, Upstream>;
  private readonly agents: { readonly http: http.Agent; readonly https: https.Agent };
  private exceededReported = false;

  private constructor(private readonly options: GatewayOptions) {
    this.meter = new Meter(options.budget);
    this.upstreams = readUpstreams(options.env);
    // Pooled connections: a TLS handshake per model call would cost more than the whole budget of 5 ms.
    this.agents = {
      http: new http.Agent({ keepAlive: true }),
      // Only the test's CA when there is one: the agent keys its pool by every option, a CA list included, per request.
      https: new https.Agent({ keepAlive: true, ...(options.upstreamCa && { ca: options.upstreamCa }) }),
    };
    this.server = http.createServer((request, response) => this.handle(request, response));
    // Codex tries the Responses WebSocket first: 426 sends it to HTTPS at once, where the gateway can meter it.
    this.server.on('upgrade', (_request: http.IncomingMessage, socket: Socket) => {
      socket.end('HTTP/1.1 426 Upgrade Required\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    });
  }

  /** `http://127.0.0.1:<port>`: a provider's base is this and `/<provider>`. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The providers the task has a key for, in a fixed order. */
  public get providers(): ProviderName[] {
    return PROVIDER_NAMES.filter((name) => this.upstreams.has(name));
  }

  public async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://gateway');
    const [, name, ...rest] = url.pathname.split('/');
    if (!(PROVIDER_NAMES as readonly string[]).includes(name)) {
      const message = `no provider at /${name}: the gateway serves /${PROVIDER_NAMES.join(', /')}`;
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message } }));
      return;
    }
    const provider = PROVIDERS[name as ProviderName];
    const upstream = this.upstreams.get(provider.name);
    if (!upstream) {
      const missing = provider.keyVariable ?? 'CLAUDE_CODE_USE_BEDROCK and AWS_REGION';
      return refuse(response, provider, 401, `the task holds no ${missing}: the gateway cannot reach ${provider.name}`);
    }
    const path = `/${rest.join('/')}`;
    if (provider.forwards && !provider.forwards.test(`${request.method} ${path}`)) {
      this.options.logger?.info('gateway', `${provider.name}: not forwarded`, { method: request.method, path });
      request.resume();
      return refuse(response, provider, 403, `the model gateway forwards to ${provider.name} only the task role's model invocations, not ${request.method} ${path}`);
    }
    if (this.meter.exceeded) {
      return refuse(response, provider, BUDGET_STATUS[provider.name], this.budgetMessage());
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.forward(request, response, provider, upstream, path, url.searchParams, Buffer.concat(chunks)).catch((error: Error) => {
        this.options.logger?.warn('gateway', `${provider.name}: could not sign the request`, { error: error.message });
        refuse(response, provider, 502, `the model gateway could not authorize the request to ${provider.name}: ${error.message}`);
      });
    });
  }

  private async forward(request: http.IncomingMessage, response: http.ServerResponse, provider: Provider, upstream: Upstream,
    path: string, search: URLSearchParams, body: Buffer): Promise<void> {
    const started = Date.now();
    const target = new URL(upstream.base);
    target.pathname = `${target.pathname.replace(/\/$/, '')}${path}`;
    search.delete('key'); // Gemini's query-string key: the placeholder never leaves
    target.search = search.toString();
    const headers: http.OutgoingHttpHeaders = {};
    for (const [header, value] of Object.entries(request.headers)) {
      if (!HOP_BY_HOP.has(header) && !provider.keyHeaders.includes(header)) {
        headers[header] = value;
      }
    }
    // Plain bodies, so that the usage in them can be read; the hop to the client is loopback.
    headers['accept-encoding'] = 'identity';
    headers['content-length'] = body.length;
    await upstream.authorize({ method: request.method ?? 'GET', url: target, headers, body });
    const reader = provider.usage({ requestedModel: requestedModel(body, path) });

    const secure = target.protocol === 'https:';
    const options = { method: request.method, headers, agent: secure ? this.agents.https : this.agents.http };
    const outgoing = (secure ? https : http).request(target, options, (answer) => {
      const parsed = new ResponseBody(answer.headers['content-type'], reader);
      const answerHeaders: http.OutgoingHttpHeaders = {};
      for (const [header, value] of Object.entries(answer.headers)) {
        if (!HOP_BY_HOP.has(header)) {
          answerHeaders[header] = value;
        }
      }
      response.writeHead(answer.statusCode ?? 502, answer.statusMessage, answerHeaders);
      let counted = false;
      const count = () => {
        if (counted) {
          return;
        }
        counted = true;
        parsed.end();
        this.record(reader.usage(), provider.name, path, answer.statusCode, started);
      };
      answer.on('data', (chunk: Buffer) => {
        parsed.push(chunk);
        // A CLI that reads slower than the provider sends: wait for it rather than hold the answer.
        if (!response.write(chunk)) {
          answer.pause();
          response.once('drain', () => answer.resume());
        }
      });
      answer.on('end', () => {
        count();
        response.end();
      });
      // A stream cut short still used what it reported so far (a message_start's input tokens).
      answer.on('close', count);
    });
    outgoing.on('error', (error) => {
      this.options.logger?.warn('gateway', `${provider.name} unreachable`, { path, error: error.message });
      if (!response.headersSent) {
        refuse(response, provider, 502, `the model gateway could not reach ${provider.name}: ${error.message}`);
      } else {
        response.destroy();
      }
    });
    // The agent gave up (or was stopped): so does the upstream request.
    response.on('close', () => {
      if (!response.writableFinished) {
        outgoing.destroy();
      }
    });
    outgoing.end(body);
  }

  private record(usage: ModelUsage[], provider: ProviderName, path: string, status: number | undefined, started: number): void {
    this.meter.record(usage);
    this.options.logger?.info('gateway', `${provider} ${status ?? 'no status'}`, {
      path, status, durationMs: Date.now() - started, modelUsage: usage, ...(this.meter.limitUsd !== undefined && { spentUsd: this.meter.spentUsd }),
    });
    if (this.meter.exceeded && !this.exceededReported) {
      this.exceededReported = true;
      this.options.logger?.warn('gateway', this.budgetMessage());
      this.options.onBudgetExceeded?.(this.meter.spentUsd, this.meter.limitUsd!);
    }
  }

  private budgetMessage(): string {
    return `the run reached its budget: spent $${this.meter.spentUsd} of maxCostUsd $${this.meter.limitUsd}`;
  }
}

function refuse(response: http.ServerResponse, provider: Provider, status: number, message: string): void {
  const error = provider.error(status, message);
  response.writeHead(error.status, { 'content-type': 'application/json', ...error.headers }).end(JSON.stringify(error.body));
}

/** The model the request names: its body's `model` (Anthropic, OpenAI, xAI), Gemini's `/models/{model}:…` or Bedrock's `/model/{id}/invoke`. */
function requestedModel(body: Buffer, path: string): string | undefined {
  const inPath = /\/models\/([^/:]+):/.exec(path)?.[1] ?? /^\/model\/([^/]+)\/invoke/.exec(path)?.[1];
  if (inPath) {
    return decodeURIComponent(inPath);
  }
  const match = /"model"\s*:\s*"([^"]{1,256})"/.exec(body.subarray(0, 64 * 1024).toString('utf8'));
  return match?.[1];
}

