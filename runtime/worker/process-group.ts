import { spawn } from 'child_process';
import { constants } from 'os';
import { createInterface } from 'readline';

export type OutputStream = 'stdout' | 'stderr';

export interface ProcessOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Stops the process group when it fires: cancellation. */
  readonly signal?: AbortSignal;
  /** Stops the process group after this long. */
  readonly timeoutMs?: number;
  /** How long a stopped group has between SIGTERM and SIGKILL. */
  readonly graceMs: number;
  readonly onLine?: (stream: OutputStream, line: string) => void;
}

export interface ProcessResult {
  /** The exit code, or 128 + the signal's number when a signal ended the process, as a shell reports it. */
  readonly exitCode: number;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** The output, kept up to CAPTURE_LIMIT characters per stream. */
  readonly stdout: string;
  readonly stderr: string;
}

const CAPTURE_LIMIT = 1024 * 1024;
/** How long to wait for the output pipes to drain once the process has exited. */
const DRAIN_MS = 2000;

/**
 * Runs a command as the leader of its own process group, so that stopping it (on timeout or
 * cancellation: SIGTERM, then SIGKILL after the grace period) reaches every process it started, and so
 * that processes it leaves behind are killed when it exits rather than outliving it.
 */
export function runInProcessGroup(command: string, args: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const captured: Record<OutputStream, string> = { stdout: '', stderr: '' };
    const pipes = (['stdout', 'stderr'] as const).map((stream) => new Promise<void>((done) => {
      const lines = createInterface({ input: child[stream], crlfDelay: Infinity });
      lines.on('line', (line) => {
        if (captured[stream].length < CAPTURE_LIMIT) {
          captured[stream] += `${line}\n`;
        }
        options.onLine?.(stream, line);
      });
      lines.on('close', done);
    }));

    let stoppedBy: 'timeout' | 'abort' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: 'timeout' | 'abort') => {
      if (stoppedBy) {
        return;
      }
      stoppedBy = reason;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), options.graceMs);
    };
    const timeout = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('abort');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) {
      stop('abort');
    }
    const cleanUp = () => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };

    child.once('error', (error) => {
      cleanUp();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      cleanUp();
      signalGroup(child.pid, 'SIGKILL');
      const drained = Promise.all(pipes);
      const deadline = new Promise((done) => setTimeout(done, DRAIN_MS).unref());
      void Promise.race([drained, deadline]).then(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({
          exitCode: code ?? 128 + (signal ? constants.signals[signal] : 0),
          timedOut: stoppedBy === 'timeout',
          aborted: stoppedBy === 'abort',
          stdout: captured.stdout,
          stderr: captured.stderr,
        });
      });
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) {
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}
