import { ConfigError, readConfig, readPort, type WorkerConfig } from './config';
import { credentialRenewal } from './credential-renewal';
import { runDispatch } from './dispatch';
import { healthcheck } from './healthcheck';
import { createWorkerServer } from './http-server';
import { Logger } from './logger';
import { Redactor } from './redactor';
import { Supervisor } from './supervisor';
import { taskCredentials } from './task-credentials';
import { Kms } from '../adapters/kms';
import { decryptWorkerToken } from '../adapters/worker-token-cipher';
import { createAssignmentSchema } from '../contracts/assignment';
import { WORKER_TOKEN_CIPHERTEXT_VARIABLE } from '../core/pool/worker-token';

/** Secrets the task is given, masked wherever the worker writes. */
const SECRET_VARIABLES = [WORKER_TOKEN_CIPHERTEXT_VARIABLE, 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'GEMINI_API_KEY', 'XAI_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

/** The worker: the trusted supervisor of one agent run, `node worker.js` in the agent's image. */
async function main(): Promise<number> {
  if (process.argv.includes('--healthcheck')) {
    return healthcheck(readPort(process.env));
  }
  const redactor = new Redactor();
  SECRET_VARIABLES.forEach((name) => redactor.add(process.env[name]));
  const logger = new Logger(redactor);
  const config = readConfig(process.env);
  const token = await openWorkerToken(config);
  redactor.add(token);

  const supervisor = new Supervisor((assignment, signal) => runDispatch(assignment, {
    config,
    env: process.env,
    logger: logger.forDispatch(assignment.dispatchId),
    redactor,
    signal,
    credentials: credentialRenewal(process.env, token),
  }));
  const server = createWorkerServer({
    token,
    schema: createAssignmentSchema({ agent: config.agent, allowFileRepositories: config.allowFileRepositories }),
    api: supervisor,
    logger,
  });
  process.on('SIGTERM', () => {
    logger.warn('signal', 'SIGTERM: cancelling', { state: supervisor.state });
    supervisor.cancel();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, resolve);
  });
  logger.info('startup', 'listening', { port: config.port, agent: config.agent });

  const exitCode = await supervisor.exitCode;
  server.close();
  server.closeAllConnections();
  logger.info('shutdown', 'exiting', { exitCode });
  return exitCode;
}

/**
 * The token, decrypted once at start with the task role (kms:Decrypt on the platform key, only under the
 * worker-token encryption context): ECS and the pool table see only its ciphertext.
 */
async function openWorkerToken(config: WorkerConfig): Promise<string> {
  try {
    return await decryptWorkerToken(new Kms({ credentials: taskCredentials(process.env) }), config.tokenCiphertext, config.cluster);
  } catch (error) {
    throw new ConfigError(`could not decrypt ${WORKER_TOKEN_CIPHERTEXT_VARIABLE} with KMS: ${(error as Error).message}`);
  }
}

main().then(
  (exitCode) => process.stdout.write('', () => process.exit(exitCode)),
  (error: unknown) => {
    const message = error instanceof ConfigError ? error.message : String(error);
    process.stdout.write(`${JSON.stringify({ level: 'error', time: new Date().toISOString(), dispatchId: null, step: 'startup', message })}\n`, () => process.exit(1));
  },
);
