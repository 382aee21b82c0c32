import { PoolMetrics, POOL_METRICS } from '../../../../runtime/adapters/pool-metrics';
import { printed } from '../../../support/printed';

describe('PoolMetrics: one embedded-metric-format line per report', () => {
  test('in the Outpost namespace, by agent only, each metric with its unit; every cold start a value', async () => {
    const [line] = await printed(() => new PoolMetrics().publish({ agent: 'codex', idle: 3, starting: 1, busy: 2, queued: 0, warmStartRatio: 0.75, coldStarts: [{ seconds: 61 }, { seconds: 58.5 }] }));
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
    const [line] = await printed(() => new PoolMetrics().publish({ agent: 'claude', idle: 0, starting: 0, busy: 0, queued: 1, coldStarts: [] }));
    const names = line._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name);
    expect(names).toEqual([POOL_METRICS.idle, POOL_METRICS.starting, POOL_METRICS.busy, POOL_METRICS.queued]);
  });

  test('cold starts also by capacity provider: one more line per provider, each cold start in its agent\'s series once and its provider\'s once', async () => {
    const lines = await printed(() => new PoolMetrics().publish({
      agent: 'codex',
      idle: 1,
      starting: 0,
      busy: 0,
      queued: 0,
      coldStarts: [{ seconds: 40, capacityProvider: 'FARGATE_SPOT' }, { seconds: 70, capacityProvider: 'FARGATE' }, { seconds: 45, capacityProvider: 'FARGATE_SPOT' }, { seconds: 50 }],
    }));
    expect(lines).toHaveLength(3);
    const [agentLine, ...providerLines] = lines;
    expect(agentLine._aws.CloudWatchMetrics[0].Dimensions).toEqual([['agent']]);
    expect(agentLine.ColdStartSeconds).toEqual([40, 70, 45, 50]);
    for (const line of providerLines) {
      expect(line._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Outpost', Dimensions: [['agent', 'capacityProvider']], Metrics: [{ Name: 'ColdStartSeconds', Unit: 'Seconds' }] });
      expect(line.service).toBeUndefined();
      expect(line.IdleWorkers).toBeUndefined();
    }
    expect(providerLines.map((line) => [line.agent, line.capacityProvider, line.ColdStartSeconds])).toEqual([
      ['codex', 'FARGATE_SPOT', [40, 45]],
      ['codex', 'FARGATE', 70],
    ]);
  });
});
