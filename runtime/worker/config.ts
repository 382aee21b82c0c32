import { AGENT_NAMES, type AgentName } from '../contracts/agent-names';
import { WORKER_CLUSTER_VARIABLE, WORKER_TOKEN_CIPHERTEXT_VARIABLE } from '../core/pool/worker-token';

/** The worker's settings, from the environment the task definition and RunTask overrides set. */
export interface WorkerConfig {
  readonly agent: AgentName;
  readonly port: number;
  /**
   * The per-task secret the control plane presents to POST /assignment, as the KMS ciphertext the RunTask
   * override carries: the worker decrypts it at start (./worker-token.ts).
   */
  readonly tokenCiphertext: string;
  /** The cluster the token was sealed for: its encryption context names it. */
  readonly cluster: string;
  /** Where ephemeral workspaces are created: the task's encrypted ephemeral storage. */
  readonly workspaceRoot: string;
  /** Where EFS is mounted when the assignment asks for a persistent workspace. */
  readonly persistentWorkspacePath: string;
  /** The CLI to run instead of the agent's usual executable (tests point it at a fake). */
  readonly agentCommand: string | undefined;
  /** Test-only: accept file:// repositories. */
  readonly allowFileRepositories: boolean;
  /** Test-only: multiplies timeoutSeconds, so that a timeout test need not wait the 60 s minimum. */
  readonly timeoutScale: number;
  /**
   * Test-only: the uid (and gid) a root worker runs the agent as, instead of the images' `agent` (1000). On a
   * shared test machine, where the worker has no pid namespace of its own, killing "every process of the
   * agent's uid" must not reach another test's processes.
   */
  readonly testAgentUid: number | undefined;
}

export class ConfigError extends Error {}

const DEFAULT_PORT = 8080;

export function readConfig(env: Readonly<Record<string, string | undefined>>): WorkerConfig {
  const agent = env.OUTPOST_AGENT;
  if (!agent || !(AGENT_NAMES as readonly string[]).includes(agent)) {
    throw new ConfigError(`OUTPOST_AGENT must be one of ${AGENT_NAMES.join(', ')}`);
  }
  const tokenCiphertext = env[WORKER_TOKEN_CIPHERTEXT_VARIABLE];
  const cluster = env[WORKER_CLUSTER_VARIABLE];
  if (!tokenCiphertext || !cluster) {
    throw new ConfigError(`${WORKER_TOKEN_CIPHERTEXT_VARIABLE} and ${WORKER_CLUSTER_VARIABLE} must be set: the control plane's RunTask override sets them`);
  }
  const timeoutScale = Number(env.OUTPOST_TEST_TIMEOUT_SCALE ?? '1');
  if (!(timeoutScale > 0 && timeoutScale <= 1)) {
    throw new ConfigError('OUTPOST_TEST_TIMEOUT_SCALE must be a number in (0, 1]');
  }
  const testAgentUid = env.OUTPOST_TEST_AGENT_UID ? Number(env.OUTPOST_TEST_AGENT_UID) : undefined;
  if (testAgentUid !== undefined && !(Number.isInteger(testAgentUid) && testAgentUid > 0 && testAgentUid < 2 ** 31)) {
    throw new ConfigError('OUTPOST_TEST_AGENT_UID must be a uid other than root\'s');
  }
  return {
    agent: agent as AgentName,
    port: readPort(env),
    tokenCiphertext,
    cluster,
    workspaceRoot: env.OUTPOST_WORKSPACE_ROOT || '/workspace',
    persistentWorkspacePath: env.OUTPOST_PERSISTENT_WORKSPACE_PATH || '/mnt/workspace',
    agentCommand: env.OUTPOST_AGENT_COMMAND || undefined,
    allowFileRepositories: env.OUTPOST_ALLOW_FILE_REPOSITORIES === '1',
    timeoutScale,
    testAgentUid,
  };
}

export function readPort(env: Readonly<Record<string, string | undefined>>): number {
  const text = env.OUTPOST_WORKER_PORT;
  if (!text) {
    return DEFAULT_PORT;
  }
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError('OUTPOST_WORKER_PORT must be a port number');
  }
  return port;
}
