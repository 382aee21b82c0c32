import { Command } from 'commander';
import { wholeNumber } from './options';
import type { DispatchPage } from '../../client/responses';
import type { DispatchView } from '../../core/dispatch/dispatch';
import type { Cli } from '../cli';
import { dispatchTable } from '../output/dispatch-view';

interface ListOptions {
  readonly limit: number;
  readonly cursor?: string;
  readonly all?: boolean;
}

/** `outpost list`: the caller's dispatches, newest first; `--all --json` is the history `outpost simulate` reads. */
export function listCommand(cli: Cli): Command {
  return new Command('list')
    .description('List your dispatches, newest first')
    .option('--limit <n>', 'dispatches per page (1 to 100)', wholeNumber(1, 100), 25)
    .option('--cursor <cursor>', 'the cursor a previous page returned, for the page after it')
    .option('--all', 'every dispatch, reading page after page')
    .action(cli.action(async (options: ListOptions, command: Command) => {
      const client = await cli.client(command);
      let page: DispatchPage;
      if (options.all) {
        const items: DispatchView[] = [];
        for await (const item of client.allDispatches({ limit: options.limit })) {
          items.push(item);
        }
        page = { items, cursor: null };
      } else {
        page = await client.listDispatches({ limit: options.limit, cursor: options.cursor });
      }
      if (cli.globals(command).json) {
        cli.printJson(page);
        return;
      }
      cli.print(page.items.length === 0 ? 'no dispatches' : dispatchTable(page.items, cli.style));
      if (page.cursor) {
        cli.note(`more: outpost list --cursor ${page.cursor}`);
      }
    }));
}
