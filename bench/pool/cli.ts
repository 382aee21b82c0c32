/**
 * The warm-pool simulator's command line (docs/pool.md):
 *
 *   npm run simulate -- --trace FILE [--seed N] [--json | --markdown] [--chart FILE.svg] [--fixed N]
 *                       [--cold-start triangular:45:60:90] [--spot-share 0..1] [--architecture arm64|x86_64]
 *                       [--min-idle N] [--max-workers N] [--idle-timeout-minutes N] [--target-warm-ratio R]
 *                       [--wait-value USD_PER_HOUR] [--sweep]
 *   npm run simulate -- --generate workday|bursty|steady|workday-x50 --out FILE [--seed N]
 *   npm run simulate -- --generate enterprise --engineers N [--weeks W] --out FILE [--seed N]
 *
 * A trace file is read as it goes (its rows in time order; docs/pool.md, "Long traces"); --chart and --sweep hold it in memory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { comparisonChart } from './chart';
import { generateTrace, STREAMED_TRACE_KINDS, streamTrace, TRACE_KINDS, type StreamedTraceKind, type TraceKind } from './generators';
import { openTrace, readTrace } from './read-trace';
import { sweepMarkdownTable, sweepTextTable } from './sweep-table';
import { markdownTable, textTable } from './table';
import { writeTrace } from './write-trace';
import { ARCHITECTURES, type Architecture } from '../../runtime/core/ledger/pricing';
import { spotRuns } from '../../runtime/core/pool/capacity-plan';
import { poolConfig } from '../../runtime/core/pool/policy/config';
import { DEFAULT_WAIT_VALUE_USD_PER_HOUR } from '../../runtime/core/pool/policy/wait-value';
import { parseColdStart } from '../../runtime/core/pool/simulator/cold-start';
import { comparePolicies, DEFAULT_COMPARISON, POLICY_NAMES, type ComparisonOptions, type PolicyName } from '../../runtime/core/pool/simulator/compare';
import { withCost, type CostedResult } from '../../runtime/core/pool/simulator/cost';
import { fargatePricing, taskHourPrice } from '../../runtime/core/pool/simulator/pricing';
import { compareStreamed } from '../../runtime/core/pool/simulator/stream-compare';
import type { PolicySummary } from '../../runtime/core/pool/simulator/summary';
import { sweepStaticSettings, SWEEP_FAMILIES, type SweepCandidate, type SweepResult } from '../../runtime/core/pool/simulator/sweep/sweep';
import type { TraceDispatch } from '../../runtime/core/pool/simulator/trace';

const USAGE = `usage: npm run simulate -- --trace FILE [--seed N] [--json | --markdown] [--chart FILE.svg] [--fixed N]
                           [--cold-start triangular:MIN:MODE:MAX | uniform:MIN:MAX | constant:S] [--spot-share 0..1]
                           [--architecture arm64|x86_64]
                           [--min-idle N] [--max-workers N] [--idle-timeout-minutes N] [--target-warm-ratio R]
                           [--wait-value USD_PER_HOUR] [--sweep]
       npm run simulate -- --generate ${[...TRACE_KINDS, 'workday-x50'].join('|')} --out FILE [--seed N]
       npm run simulate -- --generate enterprise --engineers N [--weeks W] --out FILE [--seed N]`;

const OPTIONS = {
  'trace': { type: 'string' },
  'seed': { type: 'string' },
  'json': { type: 'boolean' },
  'markdown': { type: 'boolean' },
  'chart': { type: 'string' },
  'fixed': { type: 'string' },
  'cold-start': { type: 'string' },
  'spot-share': { type: 'string' },
  'architecture': { type: 'string' },
  'min-idle': { type: 'string' },
  'max-workers': { type: 'string' },
  'idle-timeout-minutes': { type: 'string' },
  'target-warm-ratio': { type: 'string' },
  'wait-value': { type: 'string' },
  'sweep': { type: 'boolean' },
  'generate': { type: 'string' },
  'out': { type: 'string' },
  'engineers': { type: 'string' },
  'weeks': { type: 'string' },
  'help': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

/** A command-line mistake: printed with the usage, exit code 2. */
class UsageError extends Error {}

function numberOption(values: Values, name: keyof typeof OPTIONS, fallback: number): number {
  const text = values[name];
  if (text === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (typeof text !== 'string' || text.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(`--${name} must be a number, got "${String(text)}"`);
  }
  return value;
}

function comparisonOptions(values: Values): ComparisonOptions {
  const defaults = DEFAULT_COMPARISON;
  const spotShare = numberOption(values, 'spot-share', defaults.config.spotShare);
  const architecture = values.architecture ?? defaults.pricing.architecture;
  if (!ARCHITECTURES.includes(architecture as Architecture)) {
    throw new UsageError(`--architecture must be one of ${ARCHITECTURES.join(', ')}, got "${architecture}"`);
  }
  if (spotShare > 0 && !spotRuns(architecture as Architecture)) {
    throw new UsageError(`--spot-share ${spotShare} needs --architecture x86_64: Fargate Spot does not run ${architecture} tasks`);
  }
  const pricing = fargatePricing(architecture as Architecture, spotShare);
  const config = poolConfig({
    minIdle: numberOption(values, 'min-idle', defaults.config.minIdle),
    maxWorkers: numberOption(values, 'max-workers', defaults.config.maxWorkers),
    idleTimeoutSeconds: numberOption(values, 'idle-timeout-minutes', defaults.config.idleTimeoutSeconds / 60) * 60,
    // A floor only when asked for: the default policy decides by the wait value.
    ...(values['target-warm-ratio'] === undefined ? {} : { targetWarmRatio: numberOption(values, 'target-warm-ratio', 0) }),
    spotShare,
    // The policy weighs the same prices and the same wait value as the results.
    waitValueUsdPerHour: waitValueOption(values),
    workerUsdPerHour: taskHourPrice(pricing),
  });
  const fixedSize = numberOption(values, 'fixed', defaults.fixedSize);
  if (!Number.isInteger(fixedSize) || fixedSize < 0) {
    throw new UsageError(`--fixed must be a whole number of workers, got ${fixedSize}`);
  }
  return {
    ...defaults,
    seed: numberOption(values, 'seed', defaults.seed),
    coldStart: values['cold-start'] ? parseColdStart(values['cold-start']) : defaults.coldStart,
    config,
    fixedSize,
    pricing,
  };
}

function generate(values: Values): void {
  const kind = values.generate as TraceKind | StreamedTraceKind;
  const kinds: readonly string[] = [...TRACE_KINDS, ...STREAMED_TRACE_KINDS];
  if (!kinds.includes(kind)) {
    throw new UsageError(`--generate must be one of ${kinds.join(', ')}, got "${kind}"`);
  }
  if (!values.out) {
    throw new UsageError('--generate needs --out FILE');
  }
  if ((values.engineers !== undefined || values.weeks !== undefined) && kind !== 'enterprise') {
    throw new UsageError('--engineers and --weeks apply only to --generate enterprise');
  }
  const seed = numberOption(values, 'seed', 1);
  const dispatches = kind === 'enterprise' || kind === 'workday-x50'
    ? streamTrace(kind, { seed, ...kind === 'enterprise' && enterpriseSize(values) })
    : generateTrace(kind, seed);
  console.log(`wrote ${writeTrace(values.out, dispatches)} dispatches to ${values.out}`);
}

function enterpriseSize(values: Values): { engineers: number; weeks: number } {
  if (values.engineers === undefined) {
    throw new UsageError('--generate enterprise needs --engineers N');
  }
  const engineers = numberOption(values, 'engineers', 0);
  const weeks = numberOption(values, 'weeks', 1);
  if (!Number.isInteger(engineers) || engineers < 1 || !Number.isInteger(weeks) || weeks < 1) {
    throw new UsageError(`--engineers and --weeks must be whole numbers from 1, got ${engineers} and ${weeks}`);
  }
  return { engineers, weeks };
}

function simulate(values: Values): void {
  if (!values.trace) {
    throw new UsageError('--trace FILE is required (or --generate KIND --out FILE)');
  }
  const options = comparisonOptions(values);
  const waitValue = options.config.waitValueUsdPerHour;
  // A chart needs every outcome and the sweep the whole trace: those hold it in memory (traces of weeks, not years).
  const trace = values.chart || values.sweep ? readTrace(values.trace) : undefined;
  const summaries = trace
    ? simulateInMemory(trace, values.trace, values.chart, options)
    : compareStreamed(constant(openTrace(values.trace)), options);
  type Costed = Record<PolicyName, CostedResult & PolicySummary>;
  const costed = Object.fromEntries(POLICY_NAMES.map((name) => [name, withCost(summaries[name], waitValue)])) as Costed;
  const sweep = values.sweep ? sweepStaticSettings(trace!, { ...options, waitValueUsdPerHour: waitValue }) : undefined;
  if (values.json) {
    const policies = Object.fromEntries(POLICY_NAMES.map((name) => [name, jsonResult(costed[name])]));
    console.log(JSON.stringify(sweep ? { policies, sweep: jsonSweep(sweep, costed.default) } : { policies }));
    return;
  }
  const { seed, fixedSize } = options;
  const heading = `${values.trace}: ${summaries.none.dispatches} dispatches, seed ${seed}, fixed pool of ${fixedSize}, waits at $${waitValue} an hour`;
  console.log(values.markdown ? `${heading}\n\n${markdownTable(costed)}` : `${heading}\n${textTable(costed)}`);
  if (sweep) {
    console.log(values.markdown ? `\n${sweepMarkdownTable(sweep, costed.default)}` : `\n${sweepTextTable(sweep, costed.default)}`);
  }
}

/** Every policy on a trace held in memory, and its chart when asked for. */
function simulateInMemory(
  trace: readonly TraceDispatch[],
  file: string,
  chart: string | undefined,
  options: ComparisonOptions,
): Record<PolicyName, PolicySummary> {
  const comparison = comparePolicies(trace, options);
  if (chart) {
    fs.writeFileSync(chart, comparisonChart(trace, comparison, `${path.basename(file)}, seed ${options.seed}`));
  }
  return comparison.policies;
}

function constant<T>(value: T): () => T {
  return () => value;
}

/** Each family's best and how many it tried, the overall best, and the default beside them. */
function jsonSweep(sweep: SweepResult, defaultResult: CostedResult) {
  const candidate = ({ family, label, settings, result }: SweepCandidate) => ({ family, label, settings, result: jsonResult(result) });
  const families = Object.fromEntries(SWEEP_FAMILIES.map((name) => {
    const { candidates, best } = sweep.families[name];
    return [name, { tried: candidates.length, best: candidate(best) }];
  }));
  return { waitValueUsdPerHour: sweep.waitValueUsdPerHour, families, best: candidate(sweep.best), default: jsonResult(defaultResult) };
}

/** Exactly the documented fields, in the documented order: the simulator's seven, then what the choice costs. */
function jsonResult(result: CostedResult): CostedResult {
  const { warmRatio, waitP50Seconds, waitP95Seconds, waitP99Seconds, idleWorkerHours, busyWorkerHours, costUsd } = result;
  const { waitHours, fargateUsd, waitValueUsdPerHour, totalCostUsd } = result;
  return {
    warmRatio,
    waitP50Seconds,
    waitP95Seconds,
    waitP99Seconds,
    idleWorkerHours,
    busyWorkerHours,
    costUsd,
    waitHours,
    fargateUsd,
    waitValueUsdPerHour,
    totalCostUsd,
  };
}

/** `--wait-value`: USD an hour of waiting is worth, 0 or more; the policy's default without it. */
function waitValueOption(values: Values): number {
  const value = numberOption(values, 'wait-value', DEFAULT_WAIT_VALUE_USD_PER_HOUR);
  if (value < 0) {
    throw new UsageError(`--wait-value must be USD an hour, 0 or more, got ${value}`);
  }
  return value;
}

function main(argv: readonly string[]): number {
  try {
    const { values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
    if (values.help) {
      console.log(USAGE);
    } else if (values.generate !== undefined) {
      generate(values);
    } else {
      simulate(values);
    }
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`simulate: ${(error as Error).message}${usage ? `\n${USAGE}` : ''}`);
    return usage ? 2 : 1;
  }
}

process.exitCode = main(process.argv.slice(2));
