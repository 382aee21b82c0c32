import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../../src/monitoring/metrics-namespace';
import type { MetricPoint } from '../core/metrics/metric-point';

/**
 * Publishes metric points in CloudWatch's embedded metric format: JSON lines on standard output, which
 * CloudWatch Logs turns into metrics, so a handler needs no PutMetricData permission and makes no call.
 * Points with the same dimensions share a line; `correlationId` rides along as a property (not a dimension),
 * so a metric line is found by the dispatch's id like the handler's log lines.
 */
export function publishMetrics(service: string, points: readonly MetricPoint[], correlationId?: string): void {
  const groups = new Map<string, MetricPoint[]>();
  for (const point of points) {
    const key = JSON.stringify(point.dimensions);
    groups.set(key, [...groups.get(key) ?? [], point]);
  }
  for (const group of groups.values()) {
    // One instance per line: its dimensions are the group's alone.
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
    // Powertools adds a `service` dimension by default; the platform's metrics are keyed by their own only.
    metrics.clearDefaultDimensions();
    for (const [name, value] of Object.entries(group[0].dimensions)) {
      metrics.addDimension(name, value);
    }
    for (const point of group) {
      metrics.addMetric(point.name, MetricUnit[point.unit], point.value);
    }
    if (correlationId) {
      metrics.addMetadata('correlation_id', correlationId);
    }
    metrics.publishStoredMetrics();
  }
}
