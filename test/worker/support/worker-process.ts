import { spawn, type ChildProcess } from 'child_process';
import * as net from 'net';
import * as path from 'path';
import { build } from 'esbuild';

const REPOSITORY_ROOT = path.join(__dirname, '..', '..', '..');

/** Bundles the worker as the image build does (CommonJS, one file), so that the tests run what ships. */
export async function bundleWorker(outfile: string): Promise<string> {
  await build({
    entryPoints: [path.join(REPOSITORY_ROOT, 'runtime', 'worker', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

export function fakeAgent(name: string): string {
  return path.join(__dirname, '..', 'fakes', name);
}

export interface LogLine {
  readonly level: string;
  readonly time: string;
  readonly dispatchId: string | null;
  readonly step: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** A worker running as a child process, with its stdout kept for assertions. */
export class WorkerProcess {
  /** `wrapper` runs the worker, given as its last arguments (`unshare … --`, say). */
  static async start(bundle: string, env: Record<string, string>, wrapper: readonly string[] = []): Promise<WorkerProcess> {
    const port = await freePort();
    const [command, ...args] = [...wrapper, process.execPath, bundle];
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? '', OUTPOST_WORKER_PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(child, port);
    await worker.waitFor(async () => (await worker.health().catch(() => undefined)) !== undefined, 'the worker to listen');
    return worker;
  }

  readonly exited: Promise<number | null>;
  private output = '';
  private errors = '';

  private constructor(private readonly child: ChildProcess, readonly port: number) {
    child.stdout?.on('data', (chunk) => { this.output += chunk; });
    child.stderr?.on('data', (chunk) => { this.errors += chunk; });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Everything the worker wrote to stdout: its JSON log lines. */
  get stdout(): string {
    return this.output;
  }

  logLines(): LogLine[] {
    return this.output.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as LogLine);
  }

  async health(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${this.port}/healthz`);
    return ((await response.json()) as { state: string }).state;
  }

  async postAssignment(body: unknown, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`http://127.0.0.1:${this.port}/assignment`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`gave up waiting for ${what}; worker output:\n${this.output}${this.errors}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  kill(): void {
    if (this.child.exitCode === null) {
      this.child.kill('SIGKILL');
    }
  }
}

/** A port on 127.0.0.1 nothing listens on (until something does): connections to it are refused. */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
