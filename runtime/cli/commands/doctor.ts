import { Command, InvalidArgumentError, Option } from 'commander';
import { wholeNumber } from './options';
import { AGENT_NAMES } from '../../contracts/agent-names';
import type { Cli } from '../cli';
import { printedReport } from '../doctor/print';
import { runDoctor } from '../doctor/run-doctor';
import { ExitCode } from '../exit';

interface DoctorCommandOptions {
  readonly agents?: string[];
  readonly canary: boolean;
  readonly timeout: number;
  readonly pollInterval: number;
}

/** A canary's wait: a cold start takes about a minute, the run a few seconds more. */
const DEFAULT_CANARY_TIMEOUT_SECONDS = 300;

/** `outpost doctor`: is the platform usable from here, and if not, what to do. */
export function doctorCommand(cli: Cli): Command {
  return new Command('doctor')
    .description('Check the platform from here: endpoint and signing, each agent\'s task definition and image, provider secrets, a canary run per agent')
    .option('--agents <names>', 'check only these agents, comma-separated (default: all the platform runs)', agentList)
    .option('--no-canary', 'skip the canary dispatch per agent (a tiny prompt, no repository)')
    .option('--timeout <seconds>', `how long each canary may take, cold start included (default ${DEFAULT_CANARY_TIMEOUT_SECONDS})`, wholeNumber(10, 3600), DEFAULT_CANARY_TIMEOUT_SECONDS)
    .addOption(new Option('--poll-interval <ms>', 'how often to look at a canary while it runs, in milliseconds').argParser(wholeNumber(10, 60_000)).default(2000))
    .action(cli.action(async (options: DoctorCommandOptions, command: Command) => {
      const { client, endpoint } = await cli.clientWithEndpoint(command);
      const report = await runDoctor(client, endpoint, {
        agents: options.agents,
        canary: options.canary,
        timeoutSeconds: options.timeout,
        pollIntervalMs: options.pollInterval,
      });
      if (cli.globals(command).json) {
        cli.printJson(report);
      } else {
        cli.print(printedReport(report, cli.style));
      }
      return report.ok ? ExitCode.OK : ExitCode.ERROR;
    }));
}

/** `--agents claude,codex`: agent names only, found wrong before any API call. */
function agentList(value: string): string[] {
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(AGENT_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(`expected agent names, comma-separated, among ${AGENT_NAMES.join(', ')}${unknown.length > 0 ? `; got ${unknown.join(', ')}` : ''}`);
  }
  return names;
}
