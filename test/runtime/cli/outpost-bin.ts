import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { requireArtifact } from '../../integ/support';

/** The built bin, as `npx outpost` runs it (the `bundle:cli` task makes it). */
export const OUTPOST_BIN = path.resolve(__dirname, '..', '..', '..', 'cli', 'outpost.js');

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `outpost`: its output so far, a wait for a line, and how it ended. */
export interface RunningOutpost {
  readonly child: ChildProcess;
  readonly finished: Promise<Finished>;
  stdout(): string;
  /** Resolves with stdout once it matches `pattern` (rejects if the process ends first). */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
}

/**
 * `node cli/outpost.js ...args` with exactly `env` (plus PATH): asynchronous, so that servers in this process
 * (the local API) keep answering while it runs.
 */
export function startOutpost(
  args: readonly string[], env: Record<string, string>, stdin?: string, options: { detached?: boolean } = {},
): RunningOutpost {
  const child = spawn(process.execPath, [requireArtifact(OUTPOST_BIN, 'bundle:cli'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, as a shell starts a job: a terminal's Ctrl-C signals the whole group.
    detached: options.detached,
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    waiters.forEach((wake) => wake());
  });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  child.stdin!.end(stdin);
  const finished = new Promise<Finished>((resolve) => child.on('close', (code) => {
    resolve({ code, stdout, stderr });
    waiters.forEach((wake) => wake());
  }));
  return {
    child,
    stdout: () => stdout,
    waitForOutput: (pattern) => new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) {
          resolve(match);
        } else if (child.exitCode !== null) {
          reject(new Error(`outpost exited with ${child.exitCode} before printing ${pattern}:\n${stdout}\n${stderr}`));
        }
      };
      waiters.push(check);
      check();
    }),
    finished,
  };
}

export function outpost(args: readonly string[], env: Record<string, string>, stdin?: string): Promise<Finished> {
  return startOutpost(args, env, stdin).finished;
}
