import { byCapacityProvider, COLD_START_SAMPLES, coldStartSeconds, latestSamples, measuredColdStart } from '../../../../runtime/core/pool/scaler/cold-starts';
import { poolChange, streamTriggers } from '../../../../runtime/core/pool/scaler/pool-stream';
import { streamChangeOf as poolRecord } from '../../outbox/stream-records';

const worker = (state: string, since = '2026-11-24T14:00:00.000Z', agent = 'claude') => ({ taskId: `t-${agent}`, agent, state, agentState: `${agent}#${state}`, since, tokenCiphertext: 't' });

describe('poolChange: what a pool-table change means to the scaler', () => {
  test.each([
    ['a cold start registered (a dispatch found no idle worker)', poolRecord('INSERT', undefined, worker('RESERVED')), 'missed'],
    ['a dispatch claimed an idle worker', poolRecord('MODIFY', worker('IDLE'), worker('RESERVED')), 'claimed'],
    ['a worker became healthy', poolRecord('MODIFY', worker('STARTING'), worker('IDLE')), 'idle'],
    ['a hand-off failed and gave the worker back', poolRecord('MODIFY', worker('RESERVED'), worker('IDLE')), 'idle'],
    ['an idle worker\'s task stopped', poolRecord('REMOVE', worker('IDLE')), 'stopped'],
    ['a starting worker\'s task stopped', poolRecord('REMOVE', worker('STARTING')), 'stopped'],
  ])('%s', (_name, record, trigger) => {
    expect(poolChange(record)).toMatchObject({ agent: 'claude', trigger });
  });

  test.each([
    ['a pool worker registered STARTING (the scaler\'s own start)', poolRecord('INSERT', undefined, worker('STARTING'))],
    ['a worker accepted its dispatch', poolRecord('MODIFY', worker('RESERVED'), worker('BUSY'))],
    ['the scaler took a worker out to stop it', poolRecord('MODIFY', worker('IDLE'), worker('DRAINING'))],
    ['a drained worker removed', poolRecord('REMOVE', worker('DRAINING'))],
    ['a finished run\'s worker removed', poolRecord('REMOVE', worker('BUSY'))],
    ['the scaler\'s lease item', poolRecord('MODIFY', { taskId: 'scaler#claude', leaseUntil: 1 }, { taskId: 'scaler#claude' })],
  ])('nothing for %s', (_name, record) => {
    expect(poolChange(record)).toBeUndefined();
  });

  test('a worker that became healthy measures its cold start, RunTask to healthy', () => {
    const record = poolRecord('MODIFY', worker('STARTING', '2026-11-24T14:00:00.000Z'), worker('IDLE', '2026-11-24T14:01:04.500Z'));
    expect(poolChange(record)).toEqual({ agent: 'claude', trigger: 'idle', coldStart: { seconds: 64.5 } });
    expect(poolChange(poolRecord('MODIFY', worker('RESERVED'), worker('IDLE')))).toEqual({ agent: 'claude', trigger: 'idle' });
  });
});

describe('streamTriggers: one run per agent, for its most pressing change', () => {
  test('missed before claimed before stopped before idle; each agent apart; the cold starts collected', () => {
    const runs = streamTriggers([
      poolRecord('MODIFY', worker('STARTING', '2026-11-24T14:00:00.000Z'), worker('IDLE', '2026-11-24T14:01:00.000Z')),
      poolRecord('MODIFY', worker('IDLE'), worker('RESERVED')),
      poolRecord('MODIFY', worker('STARTING', '2026-11-24T14:00:00.000Z'), worker('IDLE', '2026-11-24T14:00:50.000Z')),
      poolRecord('REMOVE', worker('IDLE', undefined, 'codex')),
      poolRecord('INSERT', undefined, worker('RESERVED', undefined, 'codex')),
      poolRecord('MODIFY', worker('RESERVED'), worker('BUSY')),
    ]);
    expect(runs).toEqual([
      { agent: 'claude', trigger: 'claimed', coldStarts: [{ seconds: 60 }, { seconds: 50 }] },
      { agent: 'codex', trigger: 'missed', coldStarts: [] },
    ]);
  });

  test('a batch of nothing the scaler acts on asks for no run', () => {
    expect(streamTriggers([poolRecord('MODIFY', worker('RESERVED'), worker('BUSY'))])).toEqual([]);
  });
});

describe('cold starts', () => {
  test('seconds from registration (STARTING) to healthy (IDLE); nothing for a missing or backwards pair', () => {
    expect(coldStartSeconds('2026-11-24T14:00:00.000Z', '2026-11-24T14:00:45.250Z')).toBe(45.25);
    expect(coldStartSeconds(undefined, '2026-11-24T14:00:45.250Z')).toBeUndefined();
    expect(coldStartSeconds('2026-11-24T14:01:00.000Z', '2026-11-24T14:00:00.000Z')).toBeUndefined();
  });

  test('a cold start carries the capacity provider its item recorded at launch; an item without one measures the seconds only', () => {
    const onSpot = { capacityProvider: 'FARGATE_SPOT' };
    const record = poolRecord('MODIFY', { ...worker('STARTING', '2026-11-24T14:00:00.000Z'), ...onSpot }, { ...worker('IDLE', '2026-11-24T14:00:30.000Z'), ...onSpot });
    expect(poolChange(record)).toEqual({ agent: 'claude', trigger: 'idle', coldStart: { seconds: 30, capacityProvider: 'FARGATE_SPOT' } });
    expect(measuredColdStart({ since: '2026-11-24T14:00:00.000Z', capacityProvider: '' }, { since: '2026-11-24T14:00:10.000Z' })).toEqual({ seconds: 10 });
    expect(measuredColdStart({ since: 'never', capacityProvider: 'FARGATE' }, { since: '2026-11-24T14:00:10.000Z' })).toBeUndefined();
  });

  test('grouped by capacity provider, each in the order it first came; those without one left out', () => {
    expect([...byCapacityProvider([
      { seconds: 1, capacityProvider: 'FARGATE' }, { seconds: 2 }, { seconds: 3, capacityProvider: 'FARGATE_SPOT' }, { seconds: 4, capacityProvider: 'FARGATE' },
    ])]).toEqual([['FARGATE', [1, 4]], ['FARGATE_SPOT', [3]]]);
  });

  test('the latest samples are kept, oldest first', () => {
    const kept = Array.from({ length: COLD_START_SAMPLES }, (_, index) => index);
    expect(latestSamples(kept, [100, 101])).toEqual([...kept.slice(2), 100, 101]);
    expect(latestSamples([1], [2], 5)).toEqual([1, 2]);
  });
});
