import { METRICS_NAMESPACE } from '../../../src/monitoring/metrics-namespace';
import type { ClientCredentialsProvider } from '../../client/options';
import { RequestSigner } from '../../client/signer';
import type { MeasuredColdStarts, PeriodStatistics } from '../../core/pool/simulator/measured-cold-starts';
import { samplesOfStatistics } from '../../core/pool/simulator/measured-cold-starts';

/** The scaler's per-agent `ColdStartSeconds` series (runtime/adapters/pool-metrics.ts), in the platform's namespace. */
const METRIC = 'ColdStartSeconds';
/** CloudWatch keeps 1-minute data points for 15 days; older ones only at 5 minutes or more. */
export const MAX_DAYS = 15;
const MINUTE_SECONDS = 60;
/** GetMetricStatistics answers at most 1,440 data points a call: a day of minutes. */
const DAY_SECONDS = 1440 * MINUTE_SECONDS;
const CALL_TIMEOUT_MS = 30_000;

export interface CloudWatchColdStartOptions {
  readonly region: string;
  readonly credentials: ClientCredentialsProvider;
  /** @default AWS_ENDPOINT_URL_CLOUDWATCH, else AWS_ENDPOINT_URL, else CloudWatch's regional endpoint */
  readonly endpoint?: string;
  readonly days: number;
  readonly now: Date;
}

/** CloudWatch refused or failed a call: its error type and message. */
export class CloudWatchError extends Error {
  constructor(public readonly type: string, message: string) {
    super(`CloudWatch ${type}: ${message}`);
    this.name = 'CloudWatchError';
  }
}

/**
 * Each agent's cold starts of the last `days` days, from `ColdStartSeconds` by `agent`: GetMetricStatistics at one
 * minute (SampleCount, Sum, Minimum, Maximum), a day a call, the values recovered by `samplesOfStatistics`.
 * Over CloudWatch's JSON protocol (AWS JSON 1.0), signed as the SDK signs: @aws-sdk/client-cloudwatch is not in
 * the CLI's bundle, and two calls' worth of it would add more than the rest of this command.
 */
export async function cloudWatchColdStarts(agents: readonly string[], options: CloudWatchColdStartOptions): Promise<MeasuredColdStarts> {
  const url = new URL(options.endpoint ?? `https://monitoring.${options.region}.amazonaws.com`);
  const signer = new RequestSigner(options.region, options.credentials, 'monitoring');
  const end = Math.floor(options.now.getTime() / 1000 / MINUTE_SECONDS) * MINUTE_SECONDS;
  const windows = Array.from({ length: options.days }, (_, day) => end - (options.days - day) * DAY_SECONDS);
  const byAgent = await Promise.all(agents.map(async (agent) => {
    const days = await Promise.all(windows.map((start) => statistics(url, signer, {
      Namespace: METRICS_NAMESPACE,
      MetricName: METRIC,
      Dimensions: [{ Name: 'agent', Value: agent }],
      StartTime: start,
      EndTime: start + DAY_SECONDS,
      Period: MINUTE_SECONDS,
      Statistics: ['SampleCount', 'Sum', 'Minimum', 'Maximum'],
    })));
    return [agent, samplesOfStatistics(days.flat().sort((a, b) => a.Timestamp - b.Timestamp))] as const;
  }));
  return Object.fromEntries(byAgent);
}

type Datapoint = PeriodStatistics & { readonly Timestamp: number };

async function statistics(url: URL, signer: RequestSigner, input: Record<string, unknown>): Promise<Datapoint[]> {
  const body = JSON.stringify(input);
  const headers = await signer.sign('POST', url, body, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'GraniteServiceVersion20100801.GetMetricStatistics',
  });
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const type = String(answer.__type ?? `HTTP ${response.status}`);
    throw new CloudWatchError(type.slice(type.lastIndexOf('#') + 1), String(answer.message ?? answer.Message ?? ''));
  }
  return ((answer.Datapoints ?? []) as Array<Record<string, unknown>>).map((point) => ({
    Timestamp: timestamp(point.Timestamp),
    SampleCount: Number(point.SampleCount ?? 0),
    Sum: Number(point.Sum ?? 0),
    Minimum: Number(point.Minimum ?? 0),
    Maximum: Number(point.Maximum ?? 0),
  }));
}

/** The JSON protocol's timestamps are epoch seconds; tolerate an ISO-8601 string too. */
function timestamp(value: unknown): number {
  return typeof value === 'number' ? value : Date.parse(String(value)) / 1000;
}
