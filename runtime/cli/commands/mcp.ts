import { Command } from 'commander';
import type { Cli } from '../cli';
import { serveMcp } from '../mcp/server';

/** `outpost mcp`: the Model Context Protocol server, over stdio, for assistants to delegate tasks. */
export function mcpCommand(cli: Cli): Command {
  return new Command('mcp')
    .description('Serve the Outpost tools to an AI assistant over the Model Context Protocol (stdio)')
    .action(cli.action(async (_options: object, command: Command) => {
      // The endpoint is resolved now, so that a configuration mistake shows in the client's server log at once.
      await serveMcp(await cli.client(command));
    }));
}
