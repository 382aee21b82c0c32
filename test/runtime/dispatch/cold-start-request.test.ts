import { coldStartRequest } from '../../../runtime/core/dispatch/cold-start-request';
import { streamChangeOf } from '../outbox/stream-records';
import { queued } from './support/dispatches';

const REQUESTED_AT = '2026-01-02T03:04:06.000Z';

describe('coldStartRequest: the dispatches-table changes that ask the starter for a cold start', () => {
  const dispatch = queued();
  const requested = { ...dispatch, coldStartRequestedAt: REQUESTED_AT };

  test('a dispatch created QUEUED with the request, or given it later, is one', () => {
    expect(coldStartRequest(streamChangeOf('INSERT', undefined, requested))).toEqual(requested);
    expect(coldStartRequest(streamChangeOf('MODIFY', dispatch, requested))).toEqual(requested);
  });

  test('a dispatch handed over whose workspace has just got its access point is one again, once', () => {
    const ready = { ...requested, workspaceReadyAt: '2026-01-02T03:04:09.000Z' };
    expect(coldStartRequest(streamChangeOf('MODIFY', requested, ready))).toEqual(ready);
    expect(coldStartRequest(streamChangeOf('MODIFY', ready, { ...ready, version: 1 }))).toBeUndefined();
  });

  test('a dispatch created or changed without the request is none: a warm start is under way', () => {
    expect(coldStartRequest(streamChangeOf('INSERT', undefined, dispatch))).toBeUndefined();
    expect(coldStartRequest(streamChangeOf('MODIFY', dispatch, { ...dispatch, updatedAt: REQUESTED_AT }))).toBeUndefined();
  });

  test('a later change of a dispatch already handed over is none, so that no second task is started', () => {
    expect(coldStartRequest(streamChangeOf('MODIFY', requested, { ...requested, version: 1 }))).toBeUndefined();
    expect(coldStartRequest(streamChangeOf('MODIFY', requested, { ...requested, status: 'STARTING', version: 1 }))).toBeUndefined();
  });

  test('a dispatch that is no longer QUEUED is none, and so are removals and idempotency items without a status', () => {
    expect(coldStartRequest(streamChangeOf('MODIFY', dispatch, { ...requested, status: 'CANCELLED' }))).toBeUndefined();
    expect(coldStartRequest(streamChangeOf('REMOVE', requested))).toBeUndefined();
    expect(coldStartRequest(streamChangeOf('INSERT', undefined, { id: 'idem#abc', dispatchId: dispatch.id }))).toBeUndefined();
  });
});
