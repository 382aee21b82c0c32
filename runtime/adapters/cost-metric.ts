import { METRICS_NAMESPACE } from '../../src/monitoring/metrics-namespace';
import { DISPATCH_COST_METRIC } from '../core/ledger/event';

/**
 * A dispatch's cost as the CloudWatch metric `Outpost/DispatchCostUsd`, dimension `agent`, in the embedded metric
 * format: one JSON line on standard output, which CloudWatch Logs turns into the metric (no PutMetricData). Written
 * as Powertools' Metrics writes it, without its 10 KB, which would take the ledger's bundle over its 300 KB budget.
 */
export function publishCostMetric(agent: string, usd: number, at: Date): void {
  const line = {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [['agent']], Metrics: [{ Name: DISPATCH_COST_METRIC, Unit: 'None' }] }],
    },
    agent,
    [DISPATCH_COST_METRIC]: usd,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
