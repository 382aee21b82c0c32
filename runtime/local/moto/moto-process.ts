import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';

/** A moto server on loopback, started by Outpost Local (or a test) and stopped with it. */
export interface MotoProcess {
  readonly endpoint: string;
  readonly port: number;
  /** Forget every resource. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

/** A port no one listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `python -m moto.server` on a free port of 127.0.0.1, once it answers; `env` adds moto's own settings. */
export async function startMotoProcess(python: string, env: Readonly<Record<string, string>> = {}, howToInstall = ''): Promise<MotoProcess> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
  });
  let log = '';
  child.stdout?.on('data', (chunk) => { log += chunk; });
  child.stderr?.on('data', (chunk) => { log += chunk; });
  await waitUntilUp(endpoint, child, () => log, howToInstall);
  return {
    endpoint,
    port,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    async stop() {
      // Gone already, by exit or by signal (a terminal's Ctrl-C reaches moto too): no 'exit' event is coming.
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string, howToInstall: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto exited with ${child.exitCode}.${howToInstall ? ` Install it with: ${howToInstall}` : ''}\n${output()}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto did not answer within ${START_TIMEOUT_MS} ms\n${output()}`);
}
