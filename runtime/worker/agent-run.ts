import { createWriteStream, type WriteStream } from 'fs';
import { readFile } from 'fs/promises';
import { agentEnvironment } from './agent-environment';
import { agentIdentity, asAgent, type AgentIdentity } from './agent-identity';
import { killAgentProcesses } from './agent-processes';
import type { AgentAdapter } from './agents/types';
import type { Logger } from './logger';
import { runInProcessGroup } from './process-group';
import type { Redactor } from './redactor';
import type { AgentExit } from './result';
import type { ModelUsage } from '../contracts/token-usage';

export interface AgentRunRequest {
  readonly adapter: AgentAdapter;
  /** The executable: the adapter's, or OUTPOST_AGENT_COMMAND. */
  readonly command: string;
  readonly prompt: string;
  readonly model: string;
  readonly workdir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs: number;
  /** SIGTERM to the worker: stop the agent, keep what it did. */
  readonly signal: AbortSignal;
  /** The agent's stdout (the transcript) and stderr, redacted, for upload. */
  readonly transcriptPath: string;
  readonly stderrPath: string;
  /** Who the agent runs as. @default agentIdentity(): the `agent` user when the worker is root */
  readonly identity?: AgentIdentity;
}

export interface AgentRunResult extends AgentExit {
  readonly aborted: boolean;
  /** Per model, as the CLI reported it; null when it reported none. */
  readonly usage: ModelUsage[] | null;
}

/** An agent gets this long after SIGTERM to save its state before SIGKILL. */
const AGENT_GRACE_MS = 10_000;
/** One CloudWatch event per output line: long lines are cut in the log (the transcript keeps them). */
const LOG_LINE_LIMIT = 16 * 1024;

export async function runAgent(request: AgentRunRequest, logger: Logger, redactor: Redactor): Promise<AgentRunResult> {
  const { adapter, workdir } = request;
  const invocation = adapter.invocation({ prompt: request.prompt, model: request.model, workdir, env: request.env });
  const files = { stdout: createWriteStream(request.transcriptPath), stderr: createWriteStream(request.stderrPath) };
  const identity = request.identity ?? agentIdentity();
  logger.info('agent', `starting ${adapter.name}`, { command: request.command, timeoutMs: request.timeoutMs, uid: identity.uid });
  if (!identity.separate) {
    logger.warn('agent', 'the worker is not root: the agent runs under the worker\'s own uid, and can read what the worker holds');
  }
  const spawned = asAgent(identity, request.command, invocation.args);
  try {
    const result = await runInProcessGroup(spawned.command, spawned.args, {
      cwd: workdir,
      env: { ...agentEnvironment(request.env), ...invocation.env },
      signal: request.signal,
      timeoutMs: request.timeoutMs,
      graceMs: AGENT_GRACE_MS,
      onLine: (stream, line) => {
        const safe = redactor.redact(line);
        files[stream].write(`${safe}\n`);
        logger.info('agent', safe.slice(0, LOG_LINE_LIMIT), { stream });
      },
    });
    await Promise.all([close(files.stdout), close(files.stderr)]);
    const [stdout, stderr] = await Promise.all([readFile(request.transcriptPath, 'utf8'), readFile(request.stderrPath, 'utf8')]);
    const { usage, failure } = adapter.report({ requestedModel: request.model, stdout, stderr, exitCode: result.exitCode });
    logger.info('agent', `${adapter.name} exited`, { exitCode: result.exitCode, timedOut: result.timedOut, cancelled: result.aborted, modelUsage: usage, failure });
    return { exitCode: result.exitCode, timedOut: result.timedOut, aborted: result.aborted, usage, failure };
  } finally {
    files.stdout.destroy();
    files.stderr.destroy();
    await killLeftovers(identity, logger);
  }
}

/** Whatever the agent left running (a `setsid` child escapes its process group) dies before the worker publishes. */
async function killLeftovers(identity: AgentIdentity, logger: Logger): Promise<void> {
  const rounds = await killAgentProcesses(identity);
  if (rounds > 0) {
    logger.warn('agent', 'killed processes the agent left behind', { rounds });
  }
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
