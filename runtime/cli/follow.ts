import type { Cli } from './cli';
import { ExitCode } from './exit';
import type { OutpostClient } from '../client/outpost-client';
import { reasonText } from './output/budget';
import type { DispatchView } from '../core/dispatch/dispatch';
import { DispatchStatus } from '../core/dispatch/states';
import type { LogLine } from '../core/logs/log-page';
import { BUDGET_EXCEEDED } from '../core/tasks/run-outcome';

/** How often to read again once caught up with a live run: the client's default. */
export const DEFAULT_POLL_INTERVAL_MS = 2_000;

export interface FollowSettings {
  readonly json: boolean;
  readonly pollIntervalMs: number;
}

const WAITING: ReadonlySet<DispatchStatus> = new Set([DispatchStatus.QUEUED, DispatchStatus.STARTING]);

/**
 * Prints a run's log lines as they arrive until it is final, and returns how it ended. Ctrl-C stops following,
 * not the run: it says so, and how to follow it again or cancel it.
 */
export async function followRun(cli: Cli, client: OutpostClient, id: string, settings: FollowSettings): Promise<DispatchView> {
  const waiting = settings.json ? undefined : showWaiting(cli, client, id, settings.pollIntervalMs);
  const interrupted = () => {
    waiting?.stop();
    cli.spinner.stop();
    cli.io.stderr.write(`\noutpost: stopped following ${id}; the run goes on.\n`
      + `  follow it again: outpost logs --follow ${id}\n`
      + `  cancel it:       outpost cancel ${id}\n`);
    process.exit(ExitCode.INTERRUPTED);
  };
  process.once('SIGINT', interrupted);
  try {
    for await (const line of client.followLogs(id, { pollIntervalMs: settings.pollIntervalMs })) {
      waiting?.stop();
      printLine(cli, line, settings.json);
    }
  } finally {
    process.off('SIGINT', interrupted);
    waiting?.stop();
  }
  return client.getDispatch(id);
}

/**
 * JSON lines mix two kinds, told apart by `type`: `"dispatch"` (the dispatch, as `GET /dispatch/{id}` answers)
 * and `"log"` (one log line, `{time, message}`).
 */
export function printDispatchLine(cli: Cli, view: DispatchView): void {
  cli.printJson({ type: 'dispatch', ...view }, true);
}

export function printLine(cli: Cli, line: LogLine, json: boolean): void {
  if (json) {
    cli.printJson({ type: 'log', ...line }, true);
  } else {
    cli.print(cli.style.colour ? `${cli.style.paint('dim', line.time.slice(11, 19))} ${line.message}` : line.message);
  }
}

/**
 * A spinner while the run waits for a worker (a cold start takes about a minute), on a terminal only; it stops
 * at the first log line or once the run has started.
 */
function showWaiting(cli: Cli, client: OutpostClient, id: string, pollIntervalMs: number): { stop(): void } | undefined {
  if (cli.io.stderr.isTTY !== true) {
    return undefined;
  }
  let stopped = false;
  const stop = () => {
    stopped = true;
    cli.spinner.stop();
  };
  void (async () => {
    while (!stopped) {
      const view = await client.getDispatch(id);
      if (stopped || !WAITING.has(view.status)) {
        return stop();
      }
      cli.spinner.start(`${view.status.toLowerCase()}: waiting for ${view.agent}'s worker…`);
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
  })().catch(stop);
  return { stop };
}

/** The run's outcome, once followed to its end, on stderr. */
export function reportEnd(cli: Cli, view: DispatchView): void {
  const reason = view.statusReason === BUDGET_EXCEEDED ? reasonText(view) : undefined;
  const detail = [view.exitCode !== undefined && `exit code ${view.exitCode}`, reason ?? view.error].filter(Boolean).join(': ');
  cli.note(`${view.id} ${cli.style.status(view.status)}${detail ? ` (${detail})` : ''}`);
}
