import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';
import { INSTALL_PYTHON_TOOLS, pythonTool } from './python-tools';

/** A moto server on loopback: the AWS API endpoint that runtime adapters are tested against. */
export interface MotoServer {
  readonly endpoint: string;
  /** Forget every resource, between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto exited with ${child.exitCode}. Install it with: ${INSTALL_PYTHON_TOOLS}\n${output()}`);
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

/**
 * Start the project environment's `python3 -m moto.server` on a free port and point the AWS SDK at it through the standard
 * environment variables (AWS_ENDPOINT_URL, fake credentials, a Region), restored by `stop()`.
 * `env` adds moto's own settings (e.g. MOTO_S3_CUSTOM_ENDPOINTS) to its process.
 */
export async function startMoto(env: Readonly<Record<string, string>> = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(pythonTool('python3'), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  child.stdout?.on('data', (chunk) => { log += chunk; });
  child.stderr?.on('data', (chunk) => { log += chunk; });
  await waitUntilUp(endpoint, child, () => log);

  const overrides: Record<string, string> = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
  };
  const saved = Object.fromEntries(Object.keys(overrides).map((key) => [key, process.env[key]]));
  Object.assign(process.env, overrides);
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;

  return {
    endpoint,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    async stop() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) {
          delete process.env[key];
        } else {
          process.env[key] = value;
        }
      }
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
