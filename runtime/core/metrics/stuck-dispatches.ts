import { DISPATCH_METRICS, type MetricPoint } from './metric-point';

/**
 * One sweep's `StuckDispatches` per agent: the dispatches it failed for being stuck QUEUED or STARTING (a run
 * past its deadline is timed out, not stuck). Every agent gets a value, zero included, so the alarm and the
 * dashboard see a sweeper that runs rather than missing data.
 */
export function stuckDispatchMetrics(
  agents: readonly string[],
  swept: ReadonlyArray<{ readonly agent: string; readonly outcome: string }>,
): MetricPoint[] {
  return agents.map((agent) => ({
    name: DISPATCH_METRICS.stuck,
    unit: 'Count',
    value: swept.filter((dispatch) => dispatch.agent === agent && dispatch.outcome === 'FAILED').length,
    dimensions: { agent },
  }));
}
