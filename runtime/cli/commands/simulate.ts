import * as fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { wholeNumber } from './options';
import { DEFAULT_WAIT_VALUE_USD_PER_HOUR } from '../../core/pool/policy/wait-value';
import type { ColdStartDistribution } from '../../core/pool/simulator/cold-start';
import type { CostedResult } from '../../core/pool/simulator/cost';
import { MIN_SAMPLE, recommendPoolSettings, type AgentOutcome, type AgentRecommendation, type TooSmallHistory } from '../../core/pool/simulator/recommend';
import { DEFAULT_SIMULATION } from '../../core/pool/simulator/run';
import { parseTrace, type TraceDispatch } from '../../core/pool/simulator/trace';
import type { Cli } from '../cli';
import { UsageError } from '../exit';
import { MAX_DAYS } from '../simulate/cloudwatch-cold-starts';
import { CLOUDWATCH_SOURCE, measuredColdStarts } from '../simulate/cold-start-source';
import { historyTrace } from '../simulate/history';

interface SimulateOptions {
  readonly trace: string;
  readonly target?: number;
  readonly waitValue: number;
  readonly seed: number;
  readonly coldStarts?: string;
  readonly days: number;
}

/** The days of `ColdStartSeconds` that `--cold-starts cloudwatch` reads by default: two weeks, of CloudWatch's 15 at one minute. */
const DEFAULT_DAYS = 14;

/** `outpost simulate --trace FILE`: replay a trace (CSV, or `outpost list --all --json`) and recommend pool settings. */
export function simulateCommand(cli: Cli): Command {
  return new Command('simulate')
    .description('Recommend warm-pool settings per agent by simulating your dispatch history (CSV trace or `outpost list --all --json`)')
    .requiredOption('--trace <file>', 'a CSV trace (timestamp,agent,duration_seconds) or the JSON of `outpost list --all --json`')
    .option('--wait-value <usd>', 'what an hour of waiting for a cold start is worth, USD: the recommendation is the setting with the lowest Fargate cost plus waits at this value', usdPerHour, DEFAULT_WAIT_VALUE_USD_PER_HOUR)
    .option('--target <ratio>', 'a floor: recommend only settings that start at least this share of dispatches warm (if any does)', warmRatio)
    .option('--seed <n>', 'seeds the simulated cold starts: the same seed gives the same numbers', wholeNumber(0, 2 ** 31), DEFAULT_SIMULATION.seed)
    .option('--cold-starts <source>', 'measured cold starts to draw from: "cloudwatch" (the platform\'s ColdStartSeconds, with your AWS credentials and --region) or a JSON file of { "<agent>": [seconds...] }; agents without any use the assumed model')
    .option('--days <n>', `with --cold-starts cloudwatch: how many days back to read (at most ${MAX_DAYS}, CloudWatch's one-minute retention)`, wholeNumber(1, MAX_DAYS), DEFAULT_DAYS)
    .action(cli.action(async (options: SimulateOptions, command: Command) => {
      const { trace, skipped } = readTrace(options.trace);
      if (trace.length === 0) {
        throw new UsageError(`${options.trace} has no dispatch that ran: nothing to simulate`);
      }
      if (skipped > 0) {
        cli.note(`${skipped} dispatches without a run time (never started, or still running) left out`);
      }
      if (command.getOptionValueSource('days') === 'cli' && options.coldStarts !== CLOUDWATCH_SOURCE) {
        throw new UsageError('--days applies only with --cold-starts cloudwatch: add that, or leave --days out');
      }
      const names = [...new Set(trace.map((dispatch) => dispatch.agent))].sort();
      if (options.coldStarts !== undefined) {
        cli.spinner.start(`reading measured cold starts from ${options.coldStarts}…`);
      }
      const coldStarts = options.coldStarts === undefined
        ? {}
        : await measuredColdStarts(cli, cli.globals(command), options.coldStarts, names, options.days);
      cli.spinner.start(`simulating ${trace.length} dispatches…`);
      const simulation = { ...DEFAULT_SIMULATION, seed: options.seed };
      const agents = recommendPoolSettings(trace, {
        waitValueUsdPerHour: options.waitValue,
        targetWarmRatio: options.target,
        simulation,
        coldStarts,
      });
      cli.spinner.stop();
      agents.filter(isTooSmall).forEach((agent) => cli.note(`warning: ${agent.agent} has ${agent.reason}; nothing is recommended for it: simulate a longer history (outpost list --all --json)`));
      agents.filter((agent): agent is AgentRecommendation => agent.outcome === 'recommended' && agent.cap.holdsBack).forEach((agent) => cli.note(`warning: ${capNote(agent)}`));
      if (agents.every(isTooSmall)) {
        cli.note(`the history is too small to recommend anything: every agent has fewer than ${MIN_SAMPLE} dispatches`);
      }
      if (options.coldStarts !== undefined) {
        agents.forEach((agent) => cli.note(coldStartNote(agent, options.coldStarts!)));
      }
      if (cli.globals(command).json) {
        cli.printJson({
          waitValueUsdPerHour: options.waitValue,
          targetWarmRatio: options.target ?? null,
          minSample: MIN_SAMPLE,
          coldStartSource: options.coldStarts ?? 'assumed',
          agents,
        });
      } else {
        cli.print(agents.map((agent) => (isTooSmall(agent) ? explainTooSmall(agent) : explain(agent, options))).join('\n\n'));
      }
    }));
}

function warmRatio(value: string): number {
  const ratio = Number(value);
  if (!(ratio >= 0.5 && ratio <= 0.999)) {
    throw new InvalidArgumentError(`expected a ratio from 0.5 to 0.999, got "${value}"`);
  }
  return ratio;
}

function usdPerHour(value: string): number {
  const usd = Number(value);
  if (value.trim() === '' || !(usd >= 0) || !Number.isFinite(usd)) {
    throw new InvalidArgumentError(`expected USD an hour, 0 or more, got "${value}"`);
  }
  return usd;
}

const isTooSmall = (agent: AgentOutcome): agent is TooSmallHistory => agent.outcome === 'too-small';

/** The trace file, or a usage error (exit code 2) naming what is wrong with it: whatever fails, the fix is the file. */
function readTrace(file: string): { trace: TraceDispatch[]; skipped: number } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    if (/^\s*[[{]/.test(text)) {
      return historyTrace(JSON.parse(text), file);
    }
    return { trace: parseTrace(text, file), skipped: 0 };
  } catch (error) {
    throw new UsageError(error instanceof SyntaxError ? `${file} is not valid JSON: ${error.message}` : (error as Error).message);
  }
}

/** Which cold starts an agent's simulation drew from, when measured ones were asked for. */
function coldStartNote(agent: AgentOutcome, source: string): string {
  return agent.coldStart.measured
    ? `${agent.agent}: simulated with ${agent.coldStart.samples} measured cold starts from ${source}`
    : `${agent.agent}: no measured cold starts in ${source}; simulated with the assumed model (${describeModel(DEFAULT_SIMULATION.coldStart)})`;
}

function describeModel(model: ColdStartDistribution): string {
  switch (model.kind) {
    case 'triangular':
      return `${model.min} to ${model.max} s, most often ${model.mode} s`;
    case 'uniform':
      return `${model.min} to ${model.max} s`;
    case 'constant':
      return `${model.seconds} s`;
    case 'empirical':
      return `${model.samples.length} samples`;
  }
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

const usd = (amount: number) => `$${amount.toFixed(2)}`;

/** Fargate, the waits and their sum, as one line. */
function costLine(result: CostedResult): string {
  return `Fargate ${usd(result.fargateUsd)} + ${result.waitHours.toFixed(2)} h of waiting at ${usd(result.waitValueUsdPerHour)} = ${usd(result.totalCostUsd)}`;
}

/** Why the recommendation's `maxWorkers` holds its pool back, with the numbers. */
function capNote({ agent, cap, result }: AgentRecommendation): string {
  return `${agent}: maxWorkers ${cap.maxWorkers} holds the pool back: the policy's target was at it ${percent(cap.atCapShare)} of the minutes, and maxWorkers ${cap.raisedMaxWorkers} lowers the total cost from ${usd(result.totalCostUsd)} to ${usd(cap.raisedTotalCostUsd)}`;
}

function coldStartLine(coldStart: AgentOutcome['coldStart']): string {
  return `  cold starts: ${coldStart.measured ? `measured, ${coldStart.samples} samples` : `assumed, ${describeModel(DEFAULT_SIMULATION.coldStart)}`}`;
}

/** One agent's recommendation, with the numbers behind it, as the construct's option. */
function explain(recommendation: AgentRecommendation, options: SimulateOptions): string {
  const { agent, dispatches, settings, result, noPool, reachesTarget, tried, coldStart, cap } = recommendation;
  const minutes = settings.idleTimeoutSeconds / 60;
  const floor = options.target === undefined ? '' : reachesTarget
    ? ` of those that start at least ${percent(options.target)} warm`
    : `; none tried starts ${percent(options.target)} warm (bursts beyond the pool, or too few dispatches)`;
  const capLine = cap.holdsBack
    ? [`  cap: ${capNote(recommendation)}; set maxWorkers higher`]
    : cap.atCapShare > 0 ? [`  cap: the policy's target was at maxWorkers ${percent(cap.atCapShare)} of the minutes; maxWorkers ${cap.raisedMaxWorkers} would not lower the total cost`] : [];
  return [
    `${agent}: ${dispatches} dispatches`,
    coldStartLine(coldStart),
    `  recommended: minIdle ${settings.minIdle}, maxWorkers ${settings.maxWorkers}, idleTimeout ${minutes} min: the lowest total cost of ${tried} settings tried${floor}, waits at ${usd(options.waitValue)} an hour`,
    `  warm ${percent(result.warmRatio)}, wait p95 ${result.waitP95Seconds.toFixed(1)} s, idle ${result.idleWorkerHours.toFixed(1)} worker-h; ${costLine(result)}`,
    `  without a pool: warm ${percent(noPool.warmRatio)}, wait p95 ${noPool.waitP95Seconds.toFixed(1)} s; ${costLine(noPool)}; the pool saves ${usd(noPool.totalCostUsd - result.totalCostUsd)} over the trace`,
    ...capLine,
    `  Agent.${agent}({ warmPool: { minIdle: ${settings.minIdle}, maxWorkers: ${settings.maxWorkers}, idleTimeout: Duration.minutes(${minutes}) } })`,
  ].join('\n');
}

/** An agent with too few dispatches: no settings, and why. */
function explainTooSmall({ agent, dispatches, coldStart, reason, noPool }: TooSmallHistory): string {
  return [
    `${agent}: ${dispatches} dispatches`,
    coldStartLine(coldStart),
    `  nothing recommended: ${reason}; simulate a longer history (outpost list --all --json)`,
    `  without a pool: warm ${percent(noPool.warmRatio)}, wait p95 ${noPool.waitP95Seconds.toFixed(1)} s; ${costLine(noPool)}`,
  ].join('\n');
}
