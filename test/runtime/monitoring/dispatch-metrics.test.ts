import { stuckDispatchMetrics } from '../../../runtime/core/metrics/stuck-dispatches';
import { dispatchMetrics } from '../../../runtime/core/outbox/dispatch-metrics';
import { streamDispatchId } from '../../../runtime/core/outbox/stream-transition';
import { streamChangeOf as record } from '../outbox/stream-records';

const ID = '01JD3V4N6Q8W2X5Y7Z9A1B3C4D';
const base = { id: ID, agent: 'claude', requester: 'arn:aws:iam::123456789012:user/alice', createdAt: '2026-11-24T14:00:00.000Z' };

describe('dispatchMetrics: what a stream record counts for', () => {
  test('a creation, or a change that kept the status, counts for nothing', () => {
    expect(dispatchMetrics(record('INSERT', undefined, { ...base, status: 'QUEUED', updatedAt: base.createdAt }))).toEqual([]);
    expect(dispatchMetrics(record('MODIFY', { ...base, status: 'RUNNING' }, { ...base, status: 'RUNNING', cost: { estimatedUsd: 1 } }))).toEqual([]);
  });

  test('each move is one transition into its state, by agent and state', () => {
    expect(dispatchMetrics(record('MODIFY', { ...base, status: 'RUNNING' }, { ...base, status: 'COMPLETED', updatedAt: '2026-11-24T14:09:00.000Z' }))).toEqual([
      { name: 'DispatchTransitions', unit: 'Count', value: 1, dimensions: { agent: 'claude', state: 'COMPLETED' } },
    ]);
  });

  test('a warm start (QUEUED → STARTING → RUNNING in one write): both moves, a warm start and the wait from creation', () => {
    expect(dispatchMetrics(record('MODIFY',
      { ...base, status: 'QUEUED', updatedAt: base.createdAt },
      { ...base, status: 'RUNNING', warm: true, updatedAt: '2026-11-24T14:00:00.750Z' },
    ))).toEqual([
      { name: 'DispatchTransitions', unit: 'Count', value: 1, dimensions: { agent: 'claude', state: 'STARTING' } },
      { name: 'DispatchTransitions', unit: 'Count', value: 1, dimensions: { agent: 'claude', state: 'RUNNING' } },
      { name: 'WarmStarts', unit: 'Count', value: 1, dimensions: { agent: 'claude' } },
      { name: 'WaitSeconds', unit: 'Seconds', value: 0.75, dimensions: { agent: 'claude' } },
    ]);
  });

  test('a cold start counts when its worker takes the run (STARTING → RUNNING), not when its task is launched', () => {
    const launched = dispatchMetrics(record('MODIFY', { ...base, status: 'QUEUED' }, { ...base, status: 'STARTING', warm: false, updatedAt: '2026-11-24T14:00:01.000Z' }));
    expect(launched.map((point) => point.name)).toEqual(['DispatchTransitions']);
    const running = dispatchMetrics(record('MODIFY', { ...base, status: 'STARTING', warm: false }, { ...base, status: 'RUNNING', warm: false, updatedAt: '2026-11-24T14:01:05.000Z' }));
    expect(running.slice(1)).toEqual([
      { name: 'ColdStarts', unit: 'Count', value: 1, dimensions: { agent: 'claude' } },
      { name: 'WaitSeconds', unit: 'Seconds', value: 65, dimensions: { agent: 'claude' } },
    ]);
  });

  test('a dispatch that never ran counts no start and no wait', () => {
    const names = dispatchMetrics(record('MODIFY', { ...base, status: 'STARTING' }, { ...base, status: 'FAILED', updatedAt: '2026-11-24T14:15:00.000Z' })).map((point) => point.name);
    expect(names).toEqual(['DispatchTransitions']);
  });

  test('a creation time that cannot be read gives no wait rather than a wrong one', () => {
    const names = dispatchMetrics(record('MODIFY', { ...base, status: 'STARTING' }, { ...base, createdAt: 'garbled', status: 'RUNNING', updatedAt: '2026-11-24T14:01:05.000Z' })).map((point) => point.name);
    expect(names).toEqual(['DispatchTransitions', 'ColdStarts']);
  });
});

describe('streamDispatchId: the correlation id of a stream record', () => {
  test('the dispatch\'s id, from the new image or, for a removal, the old one; none for an idempotency item', () => {
    expect(streamDispatchId(record('MODIFY', { ...base, status: 'QUEUED' }, { ...base, status: 'STARTING' }))).toBe(ID);
    expect(streamDispatchId(record('REMOVE', { ...base, status: 'COMPLETED' }))).toBe(ID);
    expect(streamDispatchId(record('INSERT', undefined, { id: 'idem#alice#ticket-42', dispatchId: ID }))).toBeUndefined();
  });
});

describe('stuckDispatchMetrics: one value per agent per sweep', () => {
  test('counts the dispatches failed for being stuck, not the runs timed out; zero for an agent with none', () => {
    const swept = [
      { agent: 'claude', outcome: 'FAILED' },
      { agent: 'claude', outcome: 'FAILED' },
      { agent: 'claude', outcome: 'TIMED_OUT' },
      { agent: 'codex', outcome: 'TIMED_OUT' },
    ];
    expect(stuckDispatchMetrics(['claude', 'codex'], swept)).toEqual([
      { name: 'StuckDispatches', unit: 'Count', value: 2, dimensions: { agent: 'claude' } },
      { name: 'StuckDispatches', unit: 'Count', value: 0, dimensions: { agent: 'codex' } },
    ]);
  });
});
