import { Command, CommanderError } from 'commander';
import { Cli, DEFAULT_TIMEOUT_SECONDS, type Io } from './cli';
import { COMMANDS } from './commands';
import { wholeNumber } from './commands/options';
import { describeError, ExitCode } from './exit';
import { configFilePath } from './settings/config-file';
import { packageVersion } from './version';

const EXIT_CODES_HELP = (env: NodeJS.ProcessEnv) => `
Endpoint: --endpoint URL or --stack NAME (its ApiUrl output), else OUTPOST_ENDPOINT, else the config profile's
"endpoint" or "stack". Credentials: the AWS SDK's default chain (environment, SSO, profiles, roles), or --profile NAME.
Config profiles: ${configFilePath(env)} (OUTPOST_CONFIG), {"profiles": {"NAME": {"endpoint", "stack", "region",
"awsProfile", "timeoutSeconds"}}}; --config-profile NAME or OUTPOST_PROFILE picks one, else "default".

Exit codes: 0 success; 1 API, network, credentials or other runtime error; 2 usage error (unknown command or
option, invalid argument, input file or config, no endpoint or Region); 130 interrupted (Ctrl-C); with --follow,
the run's own exit code (0 when it completed, its exit code when it failed, 1 when it has none).`;

function program(cli: Cli): Command {
  const root = new Command('outpost')
    .description('Dispatch AI coding agents to an Outpost platform, follow their runs and collect their results')
    .version(packageVersion(), '-V, --version')
    .option('--endpoint <url>', 'the API\'s base URL (the platform stack\'s ApiUrl output)')
    .option('--stack <name>', 'read the endpoint from this CloudFormation stack\'s outputs')
    .option('--profile <name>', 'sign with this AWS profile\'s credentials')
    .option('--region <region>', 'the Region to sign for and to find --stack in (default: the endpoint\'s)')
    .option('--json', 'print JSON for scripts (JSON lines, each with a "type", while following logs)')
    .option('--config-profile <name>', 'take settings from this profile of the config file (default: OUTPOST_PROFILE, else "default")')
    .option('--timeout-seconds <n>', `give up on an API call after this long, retries included (default: the config profile's, else ${DEFAULT_TIMEOUT_SECONDS})`, wholeNumber(1, 3600))
    .addHelpText('after', EXIT_CODES_HELP(cli.io.env));
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
    // A subcommand's --help lists the program's options too: they are accepted after the command's name.
    .configureHelp({ showGlobalOptions: true })
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
