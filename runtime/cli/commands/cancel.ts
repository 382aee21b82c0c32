import { Command } from 'commander';
import type { Cli } from '../cli';

/** `outpost cancel <id>`. */
export function cancelCommand(cli: Cli): Command {
  return new Command('cancel')
    .description('Cancel a dispatch (a dispatch already ended is left as it is)')
    .argument('<id>', 'the dispatch id')
    .action(cli.action(async (id: string, _options: object, command: Command) => {
      const view = await (await cli.client(command)).cancel(id);
      if (cli.globals(command).json) {
        cli.printJson(view);
      } else {
        cli.print(`${view.id} ${cli.style.status(view.status)}`);
      }
    }));
}
