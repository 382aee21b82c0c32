import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { AGENT_NAMES, type AgentName } from '../../contracts/agent-names';
import type * as LocalEntry from '../../local/cli-entry';
import type { Cli } from '../cli';

interface LocalOptions {
  readonly assembly: string;
  readonly stack: string;
  readonly verbose?: boolean;
}

/**
 * Outpost Local's code: bundled apart (cli/local.js), since it carries the AWS SDK clients and the sandbox the
 * rest of the command line never needs; from the sources, the module itself.
 */
function localEntry(): typeof LocalEntry {
  const bundled = path.join(__dirname, 'local.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(fs.existsSync(bundled) ? bundled : path.join(__dirname, '..', '..', 'local', 'cli-entry'));
}

const SERVE_HELP = `
It prints the API's endpoint and a repository on the local git server to dispatch to, then serves until Ctrl-C
(SIGINT) or SIGTERM, which stop every process it started (moto, the functions, the tasks) and exit 0. One serve
at a time: its state (endpoint, the developer's credentials) is in $XDG_STATE_HOME/outpost-cdk/local-serve.json.

In another shell:
  eval "$(outpost local env)"
  outpost dispatch --agent claude --repo "$OUTPOST_LOCAL_REPOSITORY" --follow "Add a README section"
  git --git-dir "$OUTPOST_LOCAL_GIT_DIR" log -p outpost/<id>      # the agent's commit
  outpost mcp                                                     # the MCP server, same environment`;

const ENV_HELP = `
Prints export lines: OUTPOST_ENDPOINT, AWS_REGION and the developer's temporary AWS credentials, NODE_EXTRA_CA_CERTS
(the local S3's CA, for artifact downloads), OUTPOST_LOCAL_REPOSITORY and OUTPOST_LOCAL_GIT_DIR. Fails (exit 1),
printing nothing to eval, when no serve is running, or when the one that wrote the state file is gone.`;

/** `outpost local …`: the whole platform on this machine, wired as its synthesized template wires it (docs/local.md). */
export function localCommand(cli: Cli): Command {
  const where = (command: Command) => command
    .option('--assembly <dir>', 'the cloud assembly `cdk synth` wrote', 'cdk.out/local')
    .option('--stack <name>', 'the platform\'s stack in it', 'OutpostLocal')
    .option('--verbose', 'print every function\'s and worker\'s log lines');
  const common = (options: LocalOptions) => ({
    assembly: path.resolve(options.assembly),
    stack: options.stack,
    verbose: options.verbose,
    print: (line: string) => cli.print(line),
    note: (line: string) => cli.note(line),
  });
  const local = new Command('local').description('Run the platform on this machine (moto as AWS, the real handlers, workers and agent CLIs): see docs/local.md');
  local.addCommand(where(new Command('demo'))
    .description('Start Outpost Local, dispatch an agent on a demo repository, follow it, print its commit and cost, and stop')
    .option('--agent <name>', `the agent (${AGENT_NAMES.join(', ')})`, agentName, 'claude')
    .action(cli.action(async (options: LocalOptions & { agent: AgentName }) => {
      const outcome = await localEntry().runLocalDemo({ ...common(options), agent: options.agent });
      return outcome.status === 'COMPLETED' && outcome.commit !== undefined ? 0 : 1;
    })));
  local.addCommand(where(new Command('serve'))
    .description('Start Outpost Local and keep it running until Ctrl-C; `eval "$(outpost local env)"` points the CLI at it')
    .addHelpText('after', SERVE_HELP)
    .action(cli.action(async (options: LocalOptions) => {
      await localEntry().serveLocal(common(options));
      return 0;
    })));
  local.addCommand(new Command('env')
    .description('Print the environment that points the CLI, the client and the MCP server at the running `outpost local serve`')
    .addHelpText('after', ENV_HELP)
    .action(cli.action(async () => {
      cli.print(await localEntry().localEnvScript());
      return 0;
    })));
  return local;
}

function agentName(value: string): AgentName {
  if (!(AGENT_NAMES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${AGENT_NAMES.join(', ')}`);
  }
  return value as AgentName;
}
