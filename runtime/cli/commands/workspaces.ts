import { Command } from 'commander';
import type { Cli } from '../cli';
import { table } from '../output/table';

/** `outpost workspaces` lists the caller's persistent workspaces; `outpost workspaces rm NAME` deletes one. */
export function workspacesCommand(cli: Cli): Command {
  const workspaces = new Command('workspaces')
    .description('List your persistent workspaces (rm NAME deletes one)')
    .action(cli.action(async (_options: object, command: Command) => {
      const { workspaces: list } = await (await cli.client(command)).listWorkspaces();
      if (cli.globals(command).json) {
        cli.printJson({ workspaces: list });
      } else {
        cli.print(list.length === 0 ? 'no workspaces' : table(
          [{ heading: 'name' }, { heading: 'created' }, { heading: 'last used' }, { heading: 'in use by' }],
          list.map((workspace) => [workspace.name, workspace.createdAt, workspace.lastUsedAt ?? '', workspace.inUseBy ?? '']),
        ));
      }
    }));
  workspaces.command('rm')
    .description('Delete a persistent workspace and its files')
    .argument('<name>', 'the workspace')
    .action(cli.action(async (name: string, _options: object, command: Command) => {
      await (await cli.client(command)).deleteWorkspace(name);
      if (cli.globals(command).json) {
        cli.printJson({ deleted: name });
      } else {
        cli.print(`deleted workspace ${name}`);
      }
    }));
  return workspaces;
}
