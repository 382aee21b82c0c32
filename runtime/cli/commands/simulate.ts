import * as fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { wholeNumber } from './options';
import type { ColdStartDistribution } from '../../core/pool/simulator/cold-start';
import { recommendPoolSettings, SETTINGS_GRID, type AgentRecommendation } from '../../core/pool/simulator/recommend';
import { DEFAULT_SIMULATION } from '../../core/pool/simulator/run';
import { parseTrace, type TraceDispatch } from '../../core/pool/simulator/trace';
import type { Cli } from '../cli';
import { UsageError } from '../exit';
import { MAX_DAYS } from '../simulate/cloudwatch-cold-starts';
import { CLOUDWATCH_SOURCE, measuredColdStarts } from '../simulate/cold-start-source';
import { historyTrace } from '../simulate/history';

interface SimulateOptions {
  readonly trace: string;
  readonly target: number;
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
    .option('--target <ratio>', 'the share of dispatches that should start warm', warmRatio, DEFAULT_SIMULATION.config.targetWarmRatio)
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
      const recommended = recommendPoolSettings(trace, { targetWarmRatio: options.target, simulation, coldStarts });
      cli.spinner.stop();
      const agents = recommended.map((agent) => ({ ...agent, sampleTooSmall: agent.dispatches < MIN_SAMPLE }));
      agents.filter((agent) => agent.sampleTooSmall).forEach((agent) => cli.note(smallSampleWarning(agent.agent, agent.dispatches)));
      if (options.coldStarts !== undefined) {
        agents.forEach((agent) => cli.note(coldStartNote(agent, options.coldStarts!)));
      }
      if (cli.globals(command).json) {
        cli.printJson({ targetWarmRatio: options.target, minSample: MIN_SAMPLE, coldStartSource: options.coldStarts ?? 'assumed', agents });
      } else {
        cli.print(agents.map((agent) => explain(agent, options.target)).join('\n\n'));
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

/**
 * Fewer dispatches of an agent than this, and its recommendation is flagged: the policy sizes a pool from the
 * arrival rate, and a rate estimated from n arrivals is off by about 1/√n (±18% at 30, ±71% at 2), so a
 * small sample can recommend a pool far too large or too small.
 */
export const MIN_SAMPLE = 30;

function smallSampleWarning(agent: string, dispatches: number): string {
  return `warning: ${agent} has only ${dispatches} dispatches, fewer than ${MIN_SAMPLE}: an arrival rate estimated from so few is off by about ±${Math.round(100 / Math.sqrt(dispatches))}% (1/√n), so its recommendation may size the pool far too large or too small; simulate a longer history (outpost list --all --json)`;
}

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
function coldStartNote(agent: AgentRecommendation, source: string): string {
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

/** One agent's recommendation, with the numbers behind it, as the construct's option. */
function explain(recommendation: AgentRecommendation, target: number): string {
  const { agent, dispatches, settings, result, noPool, reachesTarget, tried, coldStart } = recommendation;
  const minutes = settings.idleTimeoutSeconds / 60;
  const extra = result.costUsd - noPool.costUsd;
  const why = reachesTarget
    ? `the cheapest of ${tried} settings tried that starts at least ${percent(target)} warm`
    : `no setting tried reaches ${percent(target)} warm (bursts beyond ${Math.max(...SETTINGS_GRID.maxWorkers)} workers, or too few dispatches); this is the warmest`;
  return [
    `${agent}: ${dispatches} dispatches`,
    `  cold starts: ${coldStart.measured ? `measured, ${coldStart.samples} samples` : `assumed, ${describeModel(DEFAULT_SIMULATION.coldStart)}`}`,
    `  recommended: minIdle ${settings.minIdle}, maxWorkers ${settings.maxWorkers}, idleTimeout ${minutes} min: ${why}`,
    `  warm ${percent(result.warmRatio)}, wait p95 ${result.waitP95Seconds.toFixed(1)} s, idle ${result.idleWorkerHours.toFixed(1)} worker-h, $${result.costUsd.toFixed(2)}`,
    `  without a pool: warm ${percent(noPool.warmRatio)}, wait p95 ${noPool.waitP95Seconds.toFixed(1)} s, $${noPool.costUsd.toFixed(2)}; the pool adds $${extra.toFixed(2)} over the trace`,
    `  Agent.${agent}({ warmPool: { minIdle: ${settings.minIdle}, maxWorkers: ${settings.maxWorkers}, idleTimeout: Duration.minutes(${minutes}) } })`,
  ].join('\n');
}
