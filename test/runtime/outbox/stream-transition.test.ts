import { streamChangeOf as record } from './stream-records';
import { streamTransitions } from '../../../runtime/core/outbox/stream-transition';

const ID = '01JD3V4N6Q8W2X5Y7Z9A1B3C4D';
const base = { id: ID, agent: 'claude', requester: 'arn:aws:iam::123456789012:user/alice', createdAt: '2026-11-24T14:00:00.000Z' };

describe('streamTransitions', () => {
  test('a new dispatch is not a transition: it starts QUEUED', () => {
    expect(streamTransitions(record('INSERT', undefined, { ...base, status: 'QUEUED', updatedAt: base.createdAt }))).toEqual([]);
  });

  test('a change of status, with the reason when there is one', () => {
    expect(streamTransitions(record('MODIFY',
      { ...base, status: 'STARTING', updatedAt: '2026-11-24T14:00:01.000Z' },
      { ...base, status: 'FAILED', updatedAt: '2026-11-24T14:00:09.000Z', statusReason: 'the task failed to start: CannotPullContainerError' },
    ))).toEqual([{
      dispatchId: ID,
      agent: 'claude',
      requester: base.requester,
      from: 'STARTING',
      to: 'FAILED',
      at: '2026-11-24T14:00:09.000Z',
      reason: 'the task failed to start: CannotPullContainerError',
    }]);
  });

  test('a reason left from an earlier transition is not this one\'s: only statusReason counts, and error is the outcome', () => {
    const [transition] = streamTransitions(record('MODIFY', { ...base, status: 'RUNNING' }, { ...base, status: 'FAILED', error: 'exit 1' }));
    expect(transition).not.toHaveProperty('reason');
  });

  test('one write that made several moves (a warm start) is published as each move, the reason on the last', () => {
    const moves = streamTransitions(record('MODIFY',
      { ...base, status: 'QUEUED', updatedAt: base.createdAt },
      { ...base, status: 'RUNNING', updatedAt: '2026-11-24T14:00:01.000Z', statusReason: 'why' },
    ));
    expect(moves.map(({ from, to, reason }) => ({ from, to, reason }))).toEqual([
      { from: 'QUEUED', to: 'STARTING', reason: undefined },
      { from: 'STARTING', to: 'RUNNING', reason: 'why' },
    ]);
    expect(moves.every((move) => move.at === '2026-11-24T14:00:01.000Z')).toBe(true);
  });

  test('changes that keep the status, idempotency items and removals are not transitions', () => {
    expect(streamTransitions(record('MODIFY', { ...base, status: 'COMPLETED' }, { ...base, status: 'COMPLETED', cost: 1.2 }))).toEqual([]);
    expect(streamTransitions(record('INSERT', undefined, { id: `idem#${'a'.repeat(64)}`, dispatchId: ID }))).toEqual([]);
    expect(streamTransitions(record('REMOVE', { ...base, status: 'QUEUED' }))).toEqual([]);
  });
});
