import { Command } from 'commander';
import type { Cli } from '../cli';
import { dispatchDetails } from '../output/dispatch-view';

/** `outpost status <id>`. */
export function statusCommand(cli: Cli): Command {
  return new Command('status')
    .description('Show a dispatch: status, model, times, exit code, error, result, tokens by model and cost')
    .argument('<id>', 'the dispatch id')
    .action(cli.action(async (id: string, _options: object, command: Command) => {
      const view = await (await cli.client(command)).getDispatch(id);
      if (cli.globals(command).json) {
        cli.printJson(view);
      } else {
        cli.print(dispatchDetails(view, cli.style));
      }
    }));
}
