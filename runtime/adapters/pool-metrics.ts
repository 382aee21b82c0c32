import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { CAPACITY_PROVIDER_DIMENSION, METRICS_NAMESPACE } from '../../src/monitoring/metrics-namespace';
import { byCapacityProvider, type ColdStart } from '../core/pool/scaler/cold-starts';

/** The pool metrics, as the WarmPool construct names them too (src/pool/warm-pool.ts, PoolMetric). */
export const POOL_METRICS = {
  idle: 'IdleWorkers',
  starting: 'StartingWorkers',
  busy: 'BusyWorkers',
  queued: 'QueuedDispatches',
  warmStartRatio: 'WarmStartRatio',
  coldStartSeconds: 'ColdStartSeconds',
} as const;

/** One agent's pool after a scaler run. */
export interface PoolMetricsReport {
  readonly agent: string;
  readonly idle: number;
  readonly starting: number;
  /** Workers claimed by a dispatch or running one. */
  readonly busy: number;
  readonly queued: number;
  /** The share of recent dispatches that started warm, 0 to 1; undefined when none has started. */
  readonly warmStartRatio?: number;
  /** Cold starts measured since the last report. */
  readonly coldStarts: readonly ColdStart[];
}

/**
 * Publishes a pool's metrics in CloudWatch's embedded metric format: JSON lines on standard output, which
 * CloudWatch Logs turns into metrics, so the scaler needs no PutMetricData permission and makes no call.
 * The first line has every metric by `agent`, every cold start among them; then one line per capacity provider
 * with that provider's cold starts by `agent` and `capacityProvider`. A cold start is thus counted once in each
 * series: the per-agent series (and its alarms) stays whole, and the per-provider series splits it.
 */
export class PoolMetrics {
  public publish(report: PoolMetricsReport): void {
    const metrics = metricsLine({ agent: report.agent });
    metrics.addMetric(POOL_METRICS.idle, MetricUnit.Count, report.idle);
    metrics.addMetric(POOL_METRICS.starting, MetricUnit.Count, report.starting);
    metrics.addMetric(POOL_METRICS.busy, MetricUnit.Count, report.busy);
    metrics.addMetric(POOL_METRICS.queued, MetricUnit.Count, report.queued);
    if (report.warmStartRatio !== undefined) {
      metrics.addMetric(POOL_METRICS.warmStartRatio, MetricUnit.NoUnit, report.warmStartRatio);
    }
    for (const { seconds } of report.coldStarts) {
      metrics.addMetric(POOL_METRICS.coldStartSeconds, MetricUnit.Seconds, seconds);
    }
    metrics.publishStoredMetrics();
    for (const [capacityProvider, seconds] of byCapacityProvider(report.coldStarts)) {
      const perProvider = metricsLine({ agent: report.agent, [CAPACITY_PROVIDER_DIMENSION]: capacityProvider });
      for (const value of seconds) {
        perProvider.addMetric(POOL_METRICS.coldStartSeconds, MetricUnit.Seconds, value);
      }
      perProvider.publishStoredMetrics();
    }
  }
}

/**
 * One line's metrics, keyed by these dimensions alone: one instance per line, so that lines of agents published
 * at once never share dimensions, and without the `service` dimension Powertools adds by default.
 */
function metricsLine(dimensions: Record<string, string>): Metrics {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'outpost-pool-scaler' });
  metrics.clearDefaultDimensions();
  for (const [name, value] of Object.entries(dimensions)) {
    metrics.addDimension(name, value);
  }
  return metrics;
}
