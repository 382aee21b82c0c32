import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import { dollars, pollIntervalOption, wholeNumber } from './options';
import { AGENT_NAMES, type AgentName } from '../../contracts/agent-names';
import type { DispatchView } from '../../core/dispatch/dispatch';
import { MAX_COST_USD, MODEL_TIERS, type ModelTier } from '../../core/dispatch/request';
import { DispatchStatus } from '../../core/dispatch/states';
import type { Cli } from '../cli';
import { dispatchInput } from '../dispatch-fields';
import { runExitCode } from '../exit';
import { followRun, printDispatchLine, reportEnd } from '../follow';
import { formatUsd } from '../output/budget';

interface DispatchOptions {
  readonly agent: AgentName;
  readonly repo?: string;
  readonly branch?: string;
  readonly model?: string;
  readonly modelTier?: ModelTier;
  readonly workspace?: string;
  readonly timeout?: number;
  readonly idempotencyKey?: string;
  readonly maxCost?: number;
  readonly follow?: boolean;
  readonly pollInterval: number;
}

/** `outpost dispatch`: start a run; with `--follow`, stream its logs and exit as it ends. */
export function dispatchCommand(cli: Cli): Command {
  return new Command('dispatch')
    .description('Dispatch a task to an agent and print the dispatch id')
    .argument('<prompt>', 'what the agent should do (- reads it from standard input)')
    .addOption(new Option('--agent <name>', 'the agent to run').choices(AGENT_NAMES).makeOptionMandatory())
    .option('--repo <url>', 'the repository to work on (https URL or git@host:org/repo.git)')
    .option('--branch <name>', 'the branch to start from (default: main)')
    .option('--model <id>', 'a model id of the agent\'s provider')
    .addOption(new Option('--model-tier <tier>', 'a model class instead of an id').choices(MODEL_TIERS).conflicts('model'))
    .option('--workspace <name>', 'run in this persistent workspace (its files stay between runs)')
    .option('--timeout <seconds>', 'stop the run after this long (60 to 86400; default 3600)', wholeNumber(60, 86_400))
    .option('--max-cost <usd>', 'stop the run once its models cost this much, in US dollars (e.g. 2.50; default: the platform\'s, if any)', dollars(MAX_COST_USD))
    .option('--idempotency-key <key>', 'the same key returns the dispatch it first created instead of starting another')
    .option('-f, --follow', 'stream the run\'s logs until it ends, and exit with its status')
    .addOption(pollIntervalOption())
    .action(cli.action(async (prompt: string, options: DispatchOptions, command: Command) => {
      if (options.branch !== undefined && options.repo === undefined) {
        command.error('error: --branch needs --repo', { exitCode: 2 });
      }
      const client = await cli.client(command);
      const view = await client.dispatch(dispatchInput({
        agent: options.agent,
        prompt: prompt === '-' ? fs.readFileSync(0, 'utf8') : prompt,
        repositoryUrl: options.repo,
        baseBranch: options.branch,
        model: options.model,
        modelTier: options.modelTier,
        workspace: options.workspace,
        timeoutSeconds: options.timeout,
        idempotencyKey: options.idempotencyKey,
        maxCostUsd: options.maxCost,
      }));
      const json = cli.globals(command).json === true;
      if (json && options.follow) {
        printDispatchLine(cli, view);
      } else if (json) {
        cli.printJson(view);
      } else {
        cli.print(view.id);
        cli.note(`${cli.style.status(view.status)} ${view.agent}${view.model ? ` ${view.model}` : ''}${startKind(view)}${view.maxCostUsd === undefined ? '' : `, budget ${formatUsd(view.maxCostUsd)}`}`);
      }
      if (!options.follow) {
        return 0;
      }
      const final = await followRun(cli, client, view.id, { json, pollIntervalMs: options.pollInterval });
      if (json) {
        printDispatchLine(cli, final);
      } else {
        reportEnd(cli, final);
      }
      return runExitCode(final);
    }));
}

/** Warm when a pool's worker took it; cold while a task is started for it (about a minute); nothing once it has ended. */
function startKind(view: DispatchView): string {
  if (view.warm === true) {
    return ', warm';
  }
  const starting: readonly DispatchStatus[] = [DispatchStatus.QUEUED, DispatchStatus.STARTING];
  return starting.includes(view.status) ? ', cold start (a worker starts for it: about a minute)' : '';
}
