import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../../src/monitoring/metrics-namespace';

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
  /** Cold starts measured since the last report, seconds. */
  readonly coldStartSeconds: readonly number[];
}

/**
 * Publishes a pool's metrics in CloudWatch's embedded metric format: one JSON line on standard output, which
 * CloudWatch Logs turns into metrics, so the scaler needs no PutMetricData permission and makes no call.
 */
export class PoolMetrics {
  public publish(report: PoolMetricsReport): void {
    // One instance per report: its dimensions are the report's agent alone, even when agents run at once.
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'outpost-pool-scaler' });
    // Powertools adds a `service` dimension by default; the pool's metrics are keyed by agent only.
    metrics.clearDefaultDimensions();
    metrics.addDimension('agent', report.agent);
    metrics.addMetric(POOL_METRICS.idle, MetricUnit.Count, report.idle);
    metrics.addMetric(POOL_METRICS.starting, MetricUnit.Count, report.starting);
    metrics.addMetric(POOL_METRICS.busy, MetricUnit.Count, report.busy);
    metrics.addMetric(POOL_METRICS.queued, MetricUnit.Count, report.queued);
    if (report.warmStartRatio !== undefined) {
      metrics.addMetric(POOL_METRICS.warmStartRatio, MetricUnit.NoUnit, report.warmStartRatio);
    }
    for (const seconds of report.coldStartSeconds) {
      metrics.addMetric(POOL_METRICS.coldStartSeconds, MetricUnit.Seconds, seconds);
    }
    metrics.publishStoredMetrics();
  }
}
