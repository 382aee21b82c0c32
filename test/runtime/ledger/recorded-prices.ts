import * as fs from 'fs';
import * as path from 'path';

/**
 * The recorded copies of the price sources (fixtures/price-sources/, one file a source: where it was
 * read, when, and its figures in its own words and units), converted to prices.json's names and units.
 */

const DIRECTORY = path.join(__dirname, 'fixtures', 'price-sources');

/** One figure a source states, in prices.json's unit, under prices.json's name for it (`<model>.input`, `us-east-1.arm64.onDemand.gbHour`). */
export interface RecordedPrice {
  readonly name: string;
  readonly value: number;
  /** The recording it comes from. */
  readonly file: string;
}

interface Recording<Figures> {
  readonly source: string;
  readonly recorded: string;
  readonly unit: string;
  readonly figures: Figures;
}

/** LiteLLM's field names, by prices.json's. */
const LITELLM_FIELDS = {
  input: 'input_cost_per_token',
  output: 'output_cost_per_token',
  cachedInput: 'cache_read_input_token_cost',
  cacheWrite: 'cache_creation_input_token_cost',
} as const;

/** AWS's operating system/architecture labels, by prices.json's architecture. */
const FARGATE_PLATFORMS = { x86_64: 'Linux/x86', arm64: 'Linux/ARM' } as const;

type LiteLLMFigures = Record<string, Partial<Record<(typeof LITELLM_FIELDS)[keyof typeof LITELLM_FIELDS], number>>>;
type PerMillionFigures = Record<string, Partial<Record<keyof typeof LITELLM_FIELDS, number>>>;
interface FargateRegion {
  readonly 'Linux/x86': { readonly perVcpuHour: number; readonly perGbHour: number };
  readonly 'Linux/ARM': { readonly perVcpuHour: number; readonly perGbHour: number };
  readonly 'ephemeralStoragePerGbHour': number;
  readonly 'ephemeralStorageIncludedGb': number;
}

/** Every figure of every recording. */
export function recordedPrices(): RecordedPrice[] {
  return [
    ...read<LiteLLMFigures>('litellm-1.110.2.json', 'USD per token', (figures) => Object.entries(figures).flatMap(([model, entry]) => Object.entries(LITELLM_FIELDS)
      .filter(([, field]) => entry[field] !== undefined)
      .map(([name, field]) => [`${model}.${name}`, perMillion(entry[field]!)] as const))),
    ...read<PerMillionFigures>('gpt-6.2.agentcompass-router-0.6.8.json', 'USD per million tokens', (figures) => Object.entries(figures)
      .flatMap(([model, entry]) => Object.entries(entry).map(([name, value]) => [`${model}.${name}`, value] as const))),
    ...read<Record<string, FargateRegion>>('fargate-us-east-1.vantage.json', 'USD per vCPU-hour, per GB-hour (memory), per storage GB-hour', (figures) => Object.entries(figures).flatMap(([region, rates]) => [
      ...Object.entries(FARGATE_PLATFORMS).flatMap(([architecture, platform]) => [
        [`${region}.${architecture}.onDemand.vcpuHour`, rates[platform].perVcpuHour] as const,
        [`${region}.${architecture}.onDemand.gbHour`, rates[platform].perGbHour] as const,
      ]),
      [`${region}.ephemeralGbHour`, rates.ephemeralStoragePerGbHour] as const,
      ['ephemeralFreeGb', rates.ephemeralStorageIncludedGb] as const,
    ])),
    ...read<Record<string, { standardStoragePerGbMonth: number }>>('efs-us-east-1.cloudburn.json', 'USD per GB-month', (figures) => Object.entries(figures)
      .map(([region, rates]) => [`${region}.efsGbMonth`, rates.standardStoragePerGbMonth] as const)),
  ];
}

/** The names of the recordings in the directory. */
export function recordingFiles(): string[] {
  return fs.readdirSync(DIRECTORY).filter((name) => name.endsWith('.json')).sort();
}

function read<Figures>(file: string, unit: string, convert: (figures: Figures) => ReadonlyArray<readonly [string, number]>): RecordedPrice[] {
  const recording = JSON.parse(fs.readFileSync(path.join(DIRECTORY, file), 'utf8')) as Recording<Figures>;
  if (recording.unit !== unit) {
    throw new Error(`${file} states its figures in ${recording.unit}, not ${unit}: convert them as the source states them`);
  }
  return convert(recording.figures).map(([name, value]) => ({ name, value, file }));
}

/**
 * USD per token as USD per million tokens, exactly: the decimal point moved six places in the figure's
 * own decimal notation (4e-6 becomes 4e0), so 1.25e-7 is 0.125 and not 0.12499999999999999.
 */
export function perMillion(perToken: number): number {
  const [mantissa, exponent = '0'] = String(perToken).split('e');
  return Number(`${mantissa}e${Number(exponent) + 6}`);
}
