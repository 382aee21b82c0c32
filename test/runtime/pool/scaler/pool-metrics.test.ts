import { PoolMetrics, POOL_METRICS } from '../../../../runtime/adapters/pool-metrics';
import { logJson } from '../../../../runtime/lambda/json-log';

/** What `emit` writes to standard output, line by line, parsed. */
function printed(emit: () => void): any[] {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    emit();
  } finally {
    write.mockRestore();
  }
  return lines.map((line) => JSON.parse(line));
}

describe('PoolMetrics: one embedded-metric-format line per report', () => {
  test('in the Outpost namespace, by agent only, each metric with its unit; every cold start a value', () => {
    const [line] = printed(() => new PoolMetrics().publish({ agent: 'codex', idle: 3, starting: 1, busy: 2, queued: 0, warmStartRatio: 0.75, coldStartSeconds: [61, 58.5] }));
    const [directive] = line._aws.CloudWatchMetrics;
    expect(directive.Namespace).toBe('Outpost');
    expect(directive.Dimensions).toEqual([['agent']]);
    expect(Object.fromEntries(directive.Metrics.map((metric: { Name: string; Unit: string }) => [metric.Name, metric.Unit]))).toEqual({
      IdleWorkers: 'Count', StartingWorkers: 'Count', BusyWorkers: 'Count', QueuedDispatches: 'Count', WarmStartRatio: 'None', ColdStartSeconds: 'Seconds',
    });
    expect(line).toMatchObject({ agent: 'codex', IdleWorkers: 3, StartingWorkers: 1, BusyWorkers: 2, QueuedDispatches: 0, WarmStartRatio: 0.75, ColdStartSeconds: [61, 58.5] });
    expect(line.service).toBeUndefined();
  });

  test('no warm-start ratio before any dispatch started, and no cold-start value without a measurement', () => {
    const [line] = printed(() => new PoolMetrics().publish({ agent: 'claude', idle: 0, starting: 0, busy: 0, queued: 1, coldStartSeconds: [] }));
    const names = line._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name);
    expect(names).toEqual([POOL_METRICS.idle, POOL_METRICS.starting, POOL_METRICS.busy, POOL_METRICS.queued]);
  });
});

describe('logJson', () => {
  test('a JSON line with level, message, time, service and the fields; errors with their name, message and stack', () => {
    const [line] = printed(() => logJson('outpost-pool-scaler', 'ERROR', 'a pool run failed', { agent: 'claude', error: new TypeError('boom') }));
    expect(line).toMatchObject({ level: 'ERROR', message: 'a pool run failed', service: 'outpost-pool-scaler', agent: 'claude', error: { name: 'TypeError', message: 'boom' } });
    expect(line.error.stack).toContain('TypeError: boom');
    expect(Date.parse(line.timestamp)).not.toBeNaN();
  });
});
