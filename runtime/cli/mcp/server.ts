// The SDK publishes these through a `./*` export whose types the import plugin's resolver cannot map; tsc and esbuild can.
// eslint-disable-next-line import/no-unresolved
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
// eslint-disable-next-line import/no-unresolved
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { registerTools, type ClientSource } from './tools';
import { packageVersion } from '../version';

/** The MCP server on stdin and stdout, until the client closes them. */
export async function serveMcp(client: ClientSource): Promise<void> {
  const server = new McpServer({ name: 'outpost', version: packageVersion() });
  registerTools(server, client);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
  });
  await server.connect(transport);
  await closed;
}
