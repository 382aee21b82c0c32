import type { Dispatch } from '../../../runtime/core/dispatch/dispatch';
import { sameSecret, statusRefusal, STOPPING_GRACE_MS } from '../../../runtime/core/handoff/worker-credentials';
import { taskIdOf } from '../../../runtime/core/tasks/task-id';
import { queued } from '../dispatch/support/dispatches';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const ended = (status: Dispatch['status'], msAgo: number): Dispatch => ({ ...queued(), status, finishedAt: new Date(NOW.getTime() - msAgo).toISOString() });

describe('worker-credentials: which runs may renew', () => {
  test('RUNNING may; CANCELLED and TIMED_OUT up to the grace, not a millisecond past it; nothing else', () => {
    expect(statusRefusal({ ...queued(), status: 'RUNNING' }, NOW)).toBeUndefined();
    expect(statusRefusal(ended('CANCELLED', STOPPING_GRACE_MS), NOW)).toBeUndefined();
    expect(statusRefusal(ended('TIMED_OUT', STOPPING_GRACE_MS + 1), NOW)).toMatchObject({ status: 409, code: 'RunOver' });
    for (const status of ['QUEUED', 'STARTING', 'COMPLETED', 'FAILED'] as const) {
      expect(statusRefusal(ended(status, 0), NOW)).toMatchObject({ status: 409, code: 'NotRunning', field: 'dispatchId' });
    }
  });

  test('tokens compare equal only when equal, whatever their lengths', () => {
    expect(sameSecret('a-token', 'a-token')).toBe(true);
    expect(sameSecret('a-token', 'a-tokeN')).toBe(false);
    expect(sameSecret('a-token', 'a-token-longer')).toBe(false);
    expect(sameSecret('', 'a-token')).toBe(false);
  });

  test('the pool\'s key is the task ARN\'s last segment', () => {
    expect(taskIdOf('arn:aws:ecs:us-east-1:123456789012:task/outpost/0123abcd')).toBe('0123abcd');
  });
});
