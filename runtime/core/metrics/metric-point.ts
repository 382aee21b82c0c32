/**
 * The platform's dispatch metrics (namespace `Outpost`), as the PlatformMonitoring construct charts and alarms on
 * them too (src/monitoring/dispatch-metric.ts). Dimensions are few on purpose: CloudWatch bills each combination
 * as a metric of its own.
 */
export const DISPATCH_METRICS = {
  /** One per move of a dispatch into a state; dimensions `agent` and `state` (the state moved into). */
  transitions: 'DispatchTransitions',
  /** One per dispatch that began running on an idle pool worker; dimension `agent`. */
  warmStarts: 'WarmStarts',
  /** One per dispatch that began running on a task started for it; dimension `agent`. */
  coldStarts: 'ColdStarts',
  /** Seconds from a dispatch's creation to RUNNING; dimension `agent`. */
  waitSeconds: 'WaitSeconds',
  /** Dispatches the sweeper found stuck (QUEUED or STARTING too long) and failed, per run; dimension `agent`. */
  stuck: 'StuckDispatches',
} as const;

/** One value of one metric, as the embedded metric format publishes it. */
export interface MetricPoint {
  readonly name: string;
  readonly unit: 'Count' | 'Seconds';
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}
