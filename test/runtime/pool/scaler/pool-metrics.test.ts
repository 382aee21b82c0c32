import { PoolMetrics, POOL_METRICS } from '../../../../runtime/adapters/pool-metrics';
import { printed } from '../../../support/printed';

describe('PoolMetrics: one embedded-metric-format line per report', () => {
  test('in the Outpost namespace, by agent only, each metric with its unit; every cold start a value', async () => {
    const [line] = await printed(() => new PoolMetrics().publish({ agent: 'codex', idle: 3, starting: 1, busy: 2, queued: 0, warmStartRatio: 0.75, coldStartSeconds: [61, 58.5] }));
    const [directive] = line._aws.CloudWatchMetrics;
    expect(directive.Namespace).toBe('Outpost');
    expect(directive.Dimensions).toEqual([['agent']]);
    expect(Object.fromEntries(directive.Metrics.map((metric: { Name: string; Unit: string }) => [metric.Name, metric.Unit]))).toEqual({
      IdleWorkers: 'Count', StartingWorkers: 'Count', BusyWorkers: 'Count', QueuedDispatches: 'Count', WarmStartRatio: 'None', ColdStartSeconds: 'Seconds',
    });
    expect(line).toMatchObject({ agent: 'codex', IdleWorkers: 3, StartingWorkers: 1, BusyWorkers: 2, QueuedDispatches: 0, WarmStartRatio: 0.75, ColdStartSeconds: [61, 58.5] });
    expect(line.service).toBeUndefined();
  });

  test('no warm-start ratio before any dispatch started, and no cold-start value without a measurement', async () => {
    const [line] = await printed(() => new PoolMetrics().publish({ agent: 'claude', idle: 0, starting: 0, busy: 0, queued: 1, coldStartSeconds: [] }));
    const names = line._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name);
    expect(names).toEqual([POOL_METRICS.idle, POOL_METRICS.starting, POOL_METRICS.busy, POOL_METRICS.queued]);
  });
});
