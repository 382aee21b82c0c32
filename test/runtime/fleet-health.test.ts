import { agentFleetHealth } from '../../runtime/core/fleet-health';

const NOW = new Date('2026-11-24T15:00:00.000Z');
const workers = { STARTING: 2, IDLE: 3, RESERVED: 1, BUSY: 4, DRAINING: 1 };

describe('agentFleetHealth', () => {
  test('busy counts workers being handed a dispatch and those running one; the oldest queued wait in whole seconds', () => {
    expect(agentFleetHealth(workers, ['2026-11-24T14:59:00.000Z', '2026-11-24T14:58:29.600Z', '2026-11-24T14:59:59.000Z'], NOW)).toEqual({
      idle: 3, starting: 2, busy: 5, draining: 1, queued: 3, oldestQueuedAgeSeconds: 90,
    });
  });

  test('nothing queued: no age rather than zero', () => {
    expect(agentFleetHealth(workers, [], NOW)).toMatchObject({ queued: 0, oldestQueuedAgeSeconds: null });
  });

  test('a clock behind the record gives no negative age', () => {
    expect(agentFleetHealth(workers, ['2026-11-24T15:00:05.000Z'], NOW).oldestQueuedAgeSeconds).toBe(0);
  });
});
