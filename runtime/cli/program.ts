import { Command, CommanderError } from 'commander';
import { Cli, type Io } from './cli';
import { COMMANDS } from './commands';
import { describeError, ExitCode } from './exit';
import { packageVersion } from './version';

const EXIT_CODES_HELP = `
Endpoint: --endpoint URL, else OUTPOST_ENDPOINT, else the ApiUrl output of --stack NAME.
Credentials: the AWS SDK's default chain (environment, SSO, profiles, roles), or --profile NAME.

Exit codes: 0 success; 1 API or other error; 2 usage error; with --follow, the run's own exit code
(0 when it completed, its exit code when it failed, 1 when it has none).`;

function program(cli: Cli): Command {
  const root = new Command('outpost')
    .description('Dispatch AI coding agents to an Outpost platform, follow their runs and collect their results')
    .version(packageVersion(), '-V, --version')
    .option('--endpoint <url>', 'the API\'s base URL (the platform stack\'s ApiUrl output)')
    .option('--stack <name>', 'read the endpoint from this CloudFormation stack\'s outputs')
    .option('--profile <name>', 'sign with this AWS profile\'s credentials')
    .option('--region <region>', 'the Region to sign for and to find --stack in (default: the endpoint\'s)')
    .option('--json', 'print JSON for scripts (JSON lines while following logs)')
    .addHelpText('after', EXIT_CODES_HELP);
  for (const command of COMMANDS) {
    root.addCommand(command(cli));
  }
  configure(root, cli);
  return root;
}

/** Every command, subcommands too (addCommand copies no settings): output to the Io, errors thrown, not exited on. */
function configure(command: Command, cli: Cli): void {
  command
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (text) => cli.io.stdout.write(text), writeErr: (text) => cli.io.stderr.write(text) })
    .exitOverride();
  command.commands.forEach((subcommand) => configure(subcommand, cli));
}

/** Runs `outpost` with these arguments (without node and the script) and returns its exit code. */
export async function runCli(args: readonly string[], io: Io): Promise<number> {
  const cli = new Cli(io);
  try {
    await program(cli).parseAsync([...args], { from: 'user' });
    return cli.exitCode;
  } catch (error) {
    cli.spinner.stop();
    if (error instanceof CommanderError) {
      // Commander has printed the problem (or the help, or the version) itself.
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    const { message, exitCode } = describeError(error);
    io.stderr.write(`outpost: ${message}\n`);
    return exitCode;
  }
}
