import { Command } from 'commander';
import { pollIntervalOption } from './options';
import type { Cli } from '../cli';
import { runExitCode } from '../exit';
import { followRun, printLine, reportEnd } from '../follow';

interface LogsOptions {
  readonly follow?: boolean;
  readonly pollInterval: number;
}

/** `outpost logs <id> [--follow]`: the run's log lines so far, or as they come until it ends. */
export function logsCommand(cli: Cli): Command {
  return new Command('logs')
    .description('Print a run\'s log lines (JSON lines with --json)')
    .argument('<id>', 'the dispatch id')
    .option('-f, --follow', 'keep printing lines as they arrive until the run ends, and exit with its status')
    .addOption(pollIntervalOption())
    .action(cli.action(async (id: string, options: LogsOptions, command: Command) => {
      const client = await cli.client(command);
      const json = cli.globals(command).json === true;
      if (options.follow) {
        const final = await followRun(cli, client, id, { json, pollIntervalMs: options.pollInterval });
        if (!json) {
          reportEnd(cli, final);
        }
        return runExitCode(final);
      }
      // Every line there is now: read on with the cursor until a read brings none.
      let cursor: string | undefined;
      for (;;) {
        const page = await client.getLogs(id, { cursor });
        page.lines.forEach((line) => printLine(cli, line, json));
        if (page.lines.length === 0 || page.cursor === null) {
          return 0;
        }
        cursor = page.cursor;
      }
    }));
}
