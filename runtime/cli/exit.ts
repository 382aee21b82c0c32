import { forbiddenHint } from './grant-hint';
import { OutpostApiError, OutpostConnectionError } from '../client/errors';
import type { DispatchView } from '../core/dispatch/dispatch';
import { DispatchStatus } from '../core/dispatch/states';

/**
 * The command line's exit codes: a run's own exit code passes through where a command waits for the run;
 * 130 (128 + SIGINT) when Ctrl-C stops a command, as shells report it.
 */
export const ExitCode = { OK: 0, ERROR: 1, USAGE: 2, INTERRUPTED: 130 } as const;

/** A mistake in how the command was called: exit code 2, with a hint at `--help`. */
export class UsageError extends Error {
  public override readonly name = 'UsageError';
}

/** The exit code for a run that has ended: 0 once completed, else its own exit code, or 1 when it has none. */
export function runExitCode(view: DispatchView): number {
  if (view.status === DispatchStatus.COMPLETED) {
    return ExitCode.OK;
  }
  return view.exitCode !== undefined && view.exitCode > 0 && view.exitCode < 256 ? view.exitCode : ExitCode.ERROR;
}

/** What to print for an error, and the exit code it stands for. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UsageError) {
    return { message: `${error.message}\n(see outpost --help)`, exitCode: ExitCode.USAGE };
  }
  if (error instanceof OutpostApiError) {
    const details = [`HTTP ${error.status}`, error.field && `field: ${error.field}`, error.requestId && `request id: ${error.requestId}`].filter(Boolean);
    const hint = forbiddenHint(error);
    return { message: `${error.code}: ${error.message} (${details.join(', ')})${hint ? `\n${hint}` : ''}`, exitCode: ExitCode.ERROR };
  }
  if (error instanceof OutpostConnectionError) {
    const hint = error.timedOut
      ? 'is the endpoint right, and does it answer from here? --timeout-seconds N waits longer'
      : 'is the endpoint right, and reachable from here?';
    return { message: `${error.message}\n${hint}`, exitCode: ExitCode.ERROR };
  }
  return { message: error instanceof Error ? error.message : String(error), exitCode: ExitCode.ERROR };
}
