import { streamTransitions } from './stream-transition';
import { DISPATCH_METRICS, type MetricPoint } from '../metrics/metric-point';
import type { StreamChange } from '../stream-change';

/**
 * What a dispatches-table stream record counts for: each move into a state, and, when the dispatch reached
 * RUNNING, whether it started warm or cold and how long it waited from its creation. A record without a move
 * (a creation, a result added later) counts for nothing, so each transition is counted once.
 */
export function dispatchMetrics(change: StreamChange): MetricPoint[] {
  const transitions = streamTransitions(change);
  if (transitions.length === 0) {
    return [];
  }
  const points: MetricPoint[] = transitions.map((transition) => ({
    name: DISPATCH_METRICS.transitions,
    unit: 'Count',
    value: 1,
    dimensions: { agent: transition.agent, state: transition.to },
  }));
  const running = transitions.find((transition) => transition.to === 'RUNNING');
  if (running) {
    const dispatch = change.newImage!;
    const agent = { agent: running.agent };
    points.push({ name: dispatch.warm === true ? DISPATCH_METRICS.warmStarts : DISPATCH_METRICS.coldStarts, unit: 'Count', value: 1, dimensions: agent });
    const waited = (Date.parse(running.at) - Date.parse(String(dispatch.createdAt))) / 1000;
    if (Number.isFinite(waited) && waited >= 0) {
      points.push({ name: DISPATCH_METRICS.waitSeconds, unit: 'Seconds', value: waited, dimensions: agent });
    }
  }
  return points;
}
