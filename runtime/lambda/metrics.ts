import { publishMetrics } from '../adapters/emf-metrics';
import type { MetricPoint } from '../core/metrics/metric-point';

/** Publishes a handler's metric points as embedded metric format lines named by its `service`. */
export function metricsPublisher(service: string): (points: readonly MetricPoint[], correlationId?: string) => void {
  return (points, correlationId) => publishMetrics(service, points, correlationId);
}
