import { HELD_WORKSPACE } from './held-workspace';
import { awaitingAccessPoint } from '../../../runtime/core/workspaces/awaiting-access-point';
import { streamChangeOf } from '../outbox/stream-records';

const HELD = HELD_WORKSPACE;
const REQUESTED = { ...HELD, accessPointRequestedAt: '2026-11-24T10:00:01.000Z' };

describe('awaitingAccessPoint: the workspaces-table changes that ask the provisioner for an access point', () => {
  test('a held workspace without an access point whose request was just made, or made again, is one', () => {
    expect(awaitingAccessPoint(streamChangeOf('MODIFY', HELD, REQUESTED))).toEqual(REQUESTED);
    const again = { ...REQUESTED, inUseBy: '01JD3V4N6Q8W2X5Y7Z9A1B3C4E', accessPointRequestedAt: '2026-11-24T11:00:00.000Z' };
    expect(awaitingAccessPoint(streamChangeOf('MODIFY', REQUESTED, again))).toEqual(again);
  });

  test('another change of a workspace whose request is pending is none: the access point is asked for once', () => {
    expect(awaitingAccessPoint(streamChangeOf('MODIFY', REQUESTED, { ...REQUESTED, lastUsedAt: '2026-11-24T10:05:00.000Z' }))).toBeUndefined();
  });

  test('a workspace with its access point, given back, being deleted, or removed is none', () => {
    expect(awaitingAccessPoint(streamChangeOf('MODIFY', HELD, { ...REQUESTED, accessPointId: 'fsap-0123456789abcdef0' }))).toBeUndefined();
    expect(awaitingAccessPoint(streamChangeOf('MODIFY', HELD, { ...REQUESTED, inUseBy: undefined }))).toBeUndefined();
    expect(awaitingAccessPoint(streamChangeOf('MODIFY', HELD, { ...REQUESTED, deleting: '2026-11-24T10:00:02.000Z' }))).toBeUndefined();
    expect(awaitingAccessPoint(streamChangeOf('REMOVE', REQUESTED))).toBeUndefined();
  });
});
