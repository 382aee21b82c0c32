import { INSTALL_PYTHON_TOOLS, pythonTool } from './python-tools';
import { startMotoProcess } from '../../runtime/local/moto/moto-process';

/** A moto server on loopback: the AWS API endpoint that runtime adapters are tested against. */
export interface MotoServer {
  readonly endpoint: string;
  /** Forget every resource, between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start the project environment's `python3 -m moto.server` on a free port and point the AWS SDK at it through the standard
 * environment variables (AWS_ENDPOINT_URL, fake credentials, a Region), restored by `stop()`.
 * `env` adds moto's own settings (e.g. MOTO_S3_CUSTOM_ENDPOINTS) to its process.
 */
export async function startMoto(env: Readonly<Record<string, string>> = {}): Promise<MotoServer> {
  const moto = await startMotoProcess(pythonTool('python3'), env, INSTALL_PYTHON_TOOLS);
  const endpoint = moto.endpoint;

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
    reset: () => moto.reset(),
    async stop() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) {
          delete process.env[key];
        } else {
          process.env[key] = value;
        }
      }
      await moto.stop();
    },
  };
}
