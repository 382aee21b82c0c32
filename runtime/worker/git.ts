import { agentEnvironment } from './agent-environment';
import { GIT_HARDENING_ARGS, gitEnvironment, type GitCredential } from './git-security';
import { runInProcessGroup } from './process-group';
import type { Redactor } from './redactor';

/** Git is stopped like the agent, but it has nothing to save: a short grace period. */
const GIT_GRACE_MS = 2000;

export interface GitControl {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export class GitError extends Error {}

/** Runs git with the worker's hardening and credential; failures carry git's own (redacted) words. */
export class Git {
  private readonly env: Record<string, string>;

  constructor(baseEnv: Readonly<Record<string, string | undefined>>, credential: GitCredential | undefined, private readonly redactor: Redactor) {
    this.env = { ...withoutGitVariables(agentEnvironment(baseEnv)), ...gitEnvironment(credential) };
  }

  async run(cwd: string, args: readonly string[], control: GitControl = {}): Promise<string> {
    const result = await runInProcessGroup('git', [...GIT_HARDENING_ARGS, ...args], { cwd, env: this.env, graceMs: GIT_GRACE_MS, ...control });
    if (result.exitCode !== 0) {
      const detail = result.stderr.trim().split('\n').slice(-3).join(' | ');
      const how = result.timedOut ? 'timed out' : result.aborted ? 'was cancelled' : `exited with ${result.exitCode}`;
      throw new GitError(this.redactor.redact(`git ${subcommandOf(args)} ${how}: ${detail}`));
    }
    return result.stdout.trim();
  }

  async succeeds(cwd: string, args: readonly string[]): Promise<boolean> {
    try {
      await this.run(cwd, args);
      return true;
    } catch (error) {
      if (error instanceof GitError) {
        return false;
      }
      throw error;
    }
  }
}

/**
 * git reads dozens of GIT_* variables (GIT_DIR, GIT_CONFIG_COUNT/KEY/VALUE, GIT_EXEC_PATH...), each able
 * to point it at other configuration: only the worker's own (gitEnvironment) reach it.
 */
function withoutGitVariables(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('GIT_')));
}

/** The subcommand of git's arguments (`fetch`), past the options before it (`--git-dir=…`, `-c key=value`). */
function subcommandOf(args: readonly string[]): string {
  for (let index = 0; index < args.length; index++) {
    if (args[index] === '-c' || args[index] === '-C') {
      index++;
    } else if (!args[index].startsWith('-')) {
      return args[index];
    }
  }
  return args[0] ?? '';
}
