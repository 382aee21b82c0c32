import { Command } from 'commander';
import type { Cli } from '../cli';
import { table } from '../output/table';

/** `outpost fleet`: each agent's warm pool and queue. */
export function fleetCommand(cli: Cli): Command {
  return new Command('fleet')
    .description('Show each agent\'s warm pool (idle, starting, busy, draining workers) and queue')
    .action(cli.action(async (_options: object, command: Command) => {
      const fleet = await (await cli.client(command)).fleetHealth();
      if (cli.globals(command).json) {
        cli.printJson(fleet);
        return;
      }
      const numbers = ['idle', 'starting', 'busy', 'draining', 'queued'] as const;
      cli.print(table(
        [{ heading: 'agent' }, ...numbers.map((heading) => ({ heading, align: 'right' as const })), { heading: 'oldest queued', align: 'right' }],
        Object.entries(fleet.agents).map(([agent, health]) => [
          agent,
          ...numbers.map((name) => String(health[name])),
          health.oldestQueuedAgeSeconds === null ? '' : `${health.oldestQueuedAgeSeconds} s`,
        ]),
      ));
    }));
}
