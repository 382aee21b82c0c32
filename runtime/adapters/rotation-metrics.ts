import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../../src/monitoring/metrics-namespace';

/** The metric the ProviderKeyRotation construct alarms on (metricRotationFailures): one per failed step, by provider. */
export const ROTATION_FAILURES = 'RotationFailures';

/** Publishes a failed rotation step in CloudWatch's embedded metric format (no PutMetricData call). */
export function publishRotationFailure(provider: string): void {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'outpost-secret-rotation' });
  // Powertools adds a `service` dimension by default; the alarm is keyed by provider only.
  metrics.clearDefaultDimensions();
  metrics.addDimension('provider', provider);
  metrics.addMetric(ROTATION_FAILURES, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}
