import { streamRecord as record } from './stream-records';
import { streamTransition } from '../../../runtime/core/outbox/stream-transition';

const ID = '01JD3V4N6Q8W2X5Y7Z9A1B3C4D';
const base = { id: ID, agent: 'claude', requester: 'arn:aws:iam::123456789012:user/alice', createdAt: '2026-11-24T14:00:00.000Z' };

describe('streamTransition', () => {
  test('a new dispatch is not a transition: it starts QUEUED', () => {
    expect(streamTransition(record('INSERT', undefined, { ...base, status: 'QUEUED', updatedAt: base.createdAt }))).toBeUndefined();
  });

  test('a change of status, with the reason when there is one', () => {
    expect(streamTransition(record('MODIFY',
      { ...base, status: 'STARTING', updatedAt: '2026-11-24T14:00:01.000Z' },
      { ...base, status: 'FAILED', updatedAt: '2026-11-24T14:00:09.000Z', error: 'the task failed to start: CannotPullContainerError' },
    ))).toEqual({
      dispatchId: ID,
      agent: 'claude',
      requester: base.requester,
      from: 'STARTING',
      to: 'FAILED',
      at: '2026-11-24T14:00:09.000Z',
      reason: 'the task failed to start: CannotPullContainerError',
    });
  });

  test('changes that keep the status, idempotency items and removals are not transitions', () => {
    expect(streamTransition(record('MODIFY', { ...base, status: 'COMPLETED' }, { ...base, status: 'COMPLETED', cost: 1.2 }))).toBeUndefined();
    expect(streamTransition(record('INSERT', undefined, { id: `idem#${'a'.repeat(64)}`, dispatchId: ID }))).toBeUndefined();
    expect(streamTransition(record('REMOVE', { ...base, status: 'QUEUED' }))).toBeUndefined();
  });
});
