import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE } from './metrics-namespace';
import { AgentKind } from '../agents/agent-kind';

/**
 * The dispatch metrics the platform publishes (namespace `Outpost`, dimension `agent`), as the handlers name
 * them (runtime/core/metrics/metric-point.ts).
 */
export enum DispatchMetric {
  /** Moves of dispatches into a state (the outbox, from the dispatches table's stream); also dimension `state`. */
  TRANSITIONS = 'DispatchTransitions',
  /** Dispatches that began running on an idle pool worker. */
  WARM_STARTS = 'WarmStarts',
  /** Dispatches that began running on a task started for them. */
  COLD_STARTS = 'ColdStarts',
  /** Seconds from a dispatch's creation to RUNNING. */
  WAIT_SECONDS = 'WaitSeconds',
  /** Dispatches the sweeper failed because they were stuck QUEUED or STARTING (every minute, zero included). */
  STUCK_DISPATCHES = 'StuckDispatches',
  /** What finished dispatches cost, in US dollars (published by the ledger when it runs). */
  DISPATCH_COST_USD = 'DispatchCostUsd',
}

/** One agent's value of a dispatch metric: sums over five minutes unless `options` say otherwise. */
export function dispatchMetric(metric: DispatchMetric, agent: AgentKind, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: metric,
    period: Duration.minutes(5),
    statistic: cloudwatch.Stats.SUM,
    ...options,
    dimensionsMap: { agent, ...options.dimensionsMap },
  });
}
