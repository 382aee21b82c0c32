import { Command, InvalidArgumentError, Option } from 'commander';
import { isDay } from '../../core/ledger/query';
import { GROUP_BYS, type GroupBy, type LedgerReport } from '../../core/ledger/totals';
import type { Cli } from '../cli';
import { table } from '../output/table';

interface CostOptions {
  readonly from?: string;
  readonly to?: string;
  readonly groupBy: GroupBy;
  readonly everyone?: boolean;
}

/** Without `--from`: the 30 days up to `--to`. */
const DEFAULT_DAYS = 30;

/** `outpost cost`: the caller's spend (or, with `--everyone`, every caller's) from the platform's ledger. */
export function costCommand(cli: Cli): Command {
  return new Command('cost')
    .description('Show what dispatches cost (the platform\'s ledger), by day, agent or requester')
    .option('--from <day>', `first UTC day, YYYY-MM-DD (default: ${DEFAULT_DAYS} days up to --to)`, utcDay)
    .option('--to <day>', 'last UTC day, YYYY-MM-DD (default: today)', utcDay)
    .addOption(new Option('--group-by <key>', 'one row per').choices(GROUP_BYS).default('day'))
    .option('--everyone', 'every caller\'s dispatches, not only yours (needs the platform\'s grantAdmin)')
    .action(cli.action(async (options: CostOptions, command: Command) => {
      const to = options.to ?? new Date().toISOString().slice(0, 10);
      const from = options.from ?? daysBefore(to, DEFAULT_DAYS - 1);
      const query = { from, to, groupBy: options.groupBy };
      const report = options.everyone ? await (await cli.adminClient(command)).ledger(query) : await (await cli.client(command)).ledger(query);
      if (cli.globals(command).json) {
        cli.printJson(report);
        return;
      }
      cli.print(costTable(report));
    }));
}

/** One row per group and a total row; dollars to the hundredth of a cent, as small runs cost fractions of one. */
function costTable(report: LedgerReport): string {
  if (report.groups.length === 0) {
    return `no dispatches priced from ${report.from} to ${report.to}`;
  }
  const usd = (value: number) => `$${value.toFixed(4)}`;
  const money = ['compute', 'storage', 'llm', 'total'].map((heading) => ({ heading, align: 'right' as const }));
  return table(
    [{ heading: report.groupBy }, { heading: 'dispatches', align: 'right' }, ...money],
    [
      ...report.groups.map((group) => [
        group.key, String(group.dispatches), usd(group.computeUsd), usd(group.storageUsd), usd(group.llmUsd), usd(group.usd),
      ]),
      ['total', String(report.groups.reduce((sum, group) => sum + group.dispatches, 0)), '', '', '', usd(report.totalUsd)],
    ],
  );
}

function utcDay(value: string): string {
  if (!isDay(value)) {
    throw new InvalidArgumentError(`expected a UTC day, YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(day) - days * 86_400_000).toISOString().slice(0, 10);
}
