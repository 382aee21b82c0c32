import { Command } from 'commander';
import type { OutpostClient } from '../../client/outpost-client';
import type { Cli } from '../cli';
import { describeError } from '../exit';
import { serveMcp } from '../mcp/server';
import { configFilePath } from '../settings/config-file';

/** `outpost mcp`: the Model Context Protocol server, over stdio, for assistants to delegate tasks. */
export function mcpCommand(cli: Cli): Command {
  return new Command('mcp')
    .description('Serve the Outpost tools to an AI assistant over the Model Context Protocol (stdio)')
    .action(cli.action(async (_options: object, command: Command) => {
      const client = configuredClient(cli, command);
      // Resolved now too, so that a configuration mistake shows in the client's server log at once; the server
      // starts anyway, as an MCP client shows only "Connection closed" for one that exits.
      await client().catch((error: Error) => cli.io.stderr.write(`outpost mcp: ${error.message}\n`));
      await serveMcp(client);
    }));
}

/** The API client, resolved until it succeeds (a config file written meanwhile counts); a failure says how to configure it. */
function configuredClient(cli: Cli, command: Command): () => Promise<OutpostClient> {
  let resolved: Promise<OutpostClient> | undefined;
  return async () => {
    resolved ??= cli.client(command);
    try {
      return await resolved;
    } catch (error) {
      resolved = undefined;
      throw new Error(notConfigured(describeError(error).message.replace(/\n\(see outpost --help\)$/, ''), cli.io.env));
    }
  };
}

function notConfigured(problem: string, env: NodeJS.ProcessEnv): string {
  return [
    `The Outpost MCP server is not configured: ${problem}.`,
    'Give it the platform\'s API endpoint (the platform stack\'s ApiUrl output) in its MCP client configuration, one of:',
    '- set OUTPOST_ENDPOINT in the server\'s environment, e.g. `claude mcp add outpost --env OUTPOST_ENDPOINT=https://abc123.execute-api.eu-west-1.amazonaws.com/ -- npx -y outpost-cdk mcp`, or "env": {"OUTPOST_ENDPOINT": "…"} in mcpServers;',
    '- add `--endpoint URL` (or `--stack NAME --region REGION`) to its args before `mcp`;',
    `- or write a config profile to ${configFilePath(env)}: {"profiles": {"default": {"endpoint": "…", "region": "…"}}}.`,
    'Then restart the MCP server, or call again once the config file is written.',
  ].join('\n');
}
