/**
 * The model gateway's cost per request: the latency it adds on loopback and its memory. A local HTTPS upstream
 * (a test CA, answering in the Anthropic Messages API's shapes) is called directly and through the gateway, the
 * two interleaved one request at a time over kept-alive connections, as a CLI calls its provider; the added latency
 * is the gateway's percentile less the direct one. The gateway runs in a process of its own, as in the worker's
 * (gateway-process.ts): its memory is that process's RSS and heap, at start, after every request, and at their peak
 * while it streams one large answer (which it must pass on, not hold).
 *
 *   npx ts-node --project bench/tsconfig.json bench/gateway/latency.ts [--requests 2000] [--markdown]
 *
 * Target (issue 15): at most 5 ms added at p95.
 */
import { fork, type ChildProcess } from 'child_process';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { build } from 'esbuild';
import { makeCertificates } from '../../runtime/local/kit/git-server';
import { scratchDirectory } from '../../runtime/local/kit/scratch';
import { PLACEHOLDER_KEY } from '../../runtime/worker/agents/gateway-route';

const TARGET_P95_MS = 5;
const KEY = 'sk-ant-bench-real-key';
const args = process.argv.slice(2);
const REQUESTS = Number(args[args.indexOf('--requests') + 1] ?? 0) || 2000;
const MARKDOWN = args.includes('--markdown');
/** The large streamed answer of the memory measure. */
const LARGE_STREAM_BYTES = 64 * 1024 * 1024;

/** A Messages answer (docs.anthropic.com/en/api/messages) of about a kilobyte. */
const MESSAGE = JSON.stringify({
  id: 'msg_bench',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [{ type: 'text', text: 'x'.repeat(800) }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 1013, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 87 },
});

/** A streamed answer (/en/docs/build-with-claude/streaming): start, 20 text deltas, delta with usage, stop. */
function streamEvents(deltas: number, deltaText: string): string {
  const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  let body = event('message_start', { type: 'message_start', message: { id: 'msg_bench', type: 'message', role: 'assistant', content: [], model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 1013, output_tokens: 1 } } });
  body += event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  for (let index = 0; index < deltas; index++) {
    body += event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: deltaText } });
  }
  body += event('content_block_stop', { type: 'content_block_stop', index: 0 });
  body += event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 87 } });
  return body + event('message_stop', { type: 'message_stop' });
}
const STREAM = streamEvents(20, 'word ');

async function startUpstream(): Promise<{ url: string; ca: string; server: https.Server }> {
  const tls = makeCertificates(path.join(scratchDirectory('gateway-bench'), 'tls'));
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { stream?: boolean; large?: boolean };
      if (request.headers['x-api-key'] !== KEY) {
        response.writeHead(401).end();
      } else if (body.large) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const delta = streamEvents(1, 'y'.repeat(16 * 1024)).split('event: content_block_delta')[1];
        let sent = 0;
        const write = () => {
          while (sent < LARGE_STREAM_BYTES) {
            sent += delta.length;
            if (!response.write(`event: content_block_delta${delta}`)) {
              response.once('drain', write);
              return;
            }
          }
          response.end(streamEvents(0, ''));
        };
        write();
      } else if (body.stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        // Event by event, as the API streams: the gateway must pass each on as it comes.
        const events = STREAM.split(/(?<=\n\n)/);
        events.forEach((event) => response.write(event));
        response.end();
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end(MESSAGE);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, ca: tls.ca, server };
}

/** One request to completion (the last byte), in ms. */
function timed(url: string, agent: http.Agent, ca: string | undefined, body: string, key: string, onData?: () => void): Promise<number> {
  const started = process.hrtime.bigint();
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(target, {
      method: 'POST', agent, ...(ca && { ca }), headers: { 'content-type': 'application/json', 'x-api-key': key, 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      response.on('data', () => onData?.());
      response.on('end', () => (response.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`HTTP ${response.statusCode}`))));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const MB = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

interface GatewayReport {
  readonly url?: string;
  readonly memory: NodeJS.MemoryUsage;
  readonly peak?: NodeJS.MemoryUsage;
  readonly usage?: unknown;
  /** The gateway process's CPU time so far (µs), whatever the machine's load. */
  readonly cpu: NodeJS.CpuUsage;
}

/** gateway-process.ts, bundled as the worker is (esbuild, one CommonJS file) and forked, and a way to ask it for its memory. */
async function startGateway(upstream: { url: string; ca: string }): Promise<{ url: string; started: GatewayReport; ask: (message: 'memory' | 'sample') => Promise<GatewayReport>; child: ChildProcess }> {
  const outfile = path.join(scratchDirectory('gateway-bench-bundle'), 'gateway.js');
  await build({ entryPoints: [path.join(__dirname, 'gateway-process.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning' });
  const child = fork(outfile, {
    env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: KEY, OUTPOST_GATEWAY_UPSTREAM_ANTHROPIC: upstream.url, BENCH_UPSTREAM_CA: upstream.ca },
  });
  const next = () => new Promise<GatewayReport>((resolve) => child.once('message', (message) => resolve(message as GatewayReport)));
  const started = await next();
  const ask = (message: 'memory' | 'sample') => {
    const answer = next();
    child.send(message);
    return answer;
  };
  return { url: started.url!, started, child, ask };
}

async function main(): Promise<void> {
  const upstream = await startUpstream();
  const gateway = await startGateway(upstream);
  const directAgent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  const gatewayAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const rows: string[][] = [];
  const cpuRows: string[] = [];
  for (const mode of ['plain', 'streaming'] as const) {
    const cpuBefore = (await gateway.ask('memory')).cpu;
    const body = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 1024, stream: mode === 'streaming', messages: [{ role: 'user', content: 'x'.repeat(4000) }] });
    const direct: number[] = [];
    const through: number[] = [];
    const warmup = Math.min(200, REQUESTS / 10);
    for (let index = 0; index < REQUESTS + warmup; index++) {
      const callDirect = () => timed(`${upstream.url}/v1/messages`, directAgent, upstream.ca, body, KEY);
      const callGateway = () => timed(`${gateway.url}/anthropic/v1/messages`, gatewayAgent, undefined, body, PLACEHOLDER_KEY);
      // Alternating which goes first, so that neither always meets a warmer machine.
      let d: number;
      let g: number;
      if (index % 2 === 0) {
        d = await callDirect();
        g = await callGateway();
      } else {
        g = await callGateway();
        d = await callDirect();
      }
      if (index >= warmup) {
        direct.push(d);
        through.push(g);
      }
    }
    const cpuAfter = (await gateway.ask('memory')).cpu;
    const cpuMs = (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000;
    cpuRows.push(`${mode}: the gateway's process used ${(cpuMs / (REQUESTS + Math.min(200, REQUESTS / 10))).toFixed(3)} ms of CPU per request (user and system)`);
    direct.sort((a, b) => a - b);
    through.sort((a, b) => a - b);
    for (const p of [50, 95, 99]) {
      const added = percentile(through, p) - percentile(direct, p);
      rows.push([mode, `p${p}`, percentile(direct, p).toFixed(3), percentile(through, p).toFixed(3), added.toFixed(3), p === 95 ? (added <= TARGET_P95_MS ? `≤ ${TARGET_P95_MS} ✓` : `≤ ${TARGET_P95_MS} ✗`) : '']);
    }
  }
  const served = await gateway.ask('memory');

  // One large streamed answer: the gateway's peak while it passes.
  const large = JSON.stringify({ model: 'claude-sonnet-4-5', stream: true, large: true });
  await gateway.ask('sample');
  const largeMs = await timed(`${gateway.url}/anthropic/v1/messages`, gatewayAgent, undefined, large, PLACEHOLDER_KEY);
  const streamed = await gateway.ask('memory');

  directAgent.destroy();
  gatewayAgent.destroy();
  gateway.child.send('stop');
  upstream.server.close();

  const before = gateway.started.memory;
  const header = ['answer', 'percentile', 'direct ms', 'through the gateway ms', 'added ms', 'target'];
  const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
  const memory = [
    ...cpuRows,
    `the gateway's process (node and the bundled gateway): RSS ${MB(before.rss)} MB and heap used ${MB(before.heapUsed)} MB once listening; `
      + `RSS ${MB(served.memory.rss)} MB and heap used ${MB(served.memory.heapUsed)} MB after ${2 * (REQUESTS + Math.min(200, REQUESTS / 10))} requests `,
    `a ${MB(LARGE_STREAM_BYTES)} MB streamed answer through it in ${largeMs.toFixed(0)} ms: its peak RSS ${MB(streamed.peak!.rss)} MB, peak heap used ${MB(streamed.peak!.heapUsed)} MB`,
    `metered by the gateway over the run: ${JSON.stringify(streamed.usage)}`,
    `${REQUESTS} measured requests per answer kind (after ${Math.min(200, REQUESTS / 10)} uncounted), one at a time; node ${process.version}, ${process.arch}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)} at the end`,
  ];
  process.stdout.write(MARKDOWN ? `${table}\n\n${memory.map((line) => `- ${line}`).join('\n')}\n` : `${rows.map((row) => row.join('\t')).join('\n')}\n${memory.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
