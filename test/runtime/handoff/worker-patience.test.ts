import { nextAttemptDelay, STARTING_WORKER_PATIENCE } from '../../../runtime/core/handoff/worker-patience';

describe('nextAttemptDelay: how the hand-off waits for a starting worker', () => {
  /** The waits between attempts when every attempt fails at once (a refused connection). */
  function waits(attemptMs: number): number[] {
    const result: number[] = [];
    let elapsed = attemptMs;
    for (let attempts = 1; ; attempts++) {
      const delay = nextAttemptDelay(STARTING_WORKER_PATIENCE, attempts, elapsed);
      if (delay === undefined) {
        return result;
      }
      result.push(delay);
      elapsed += delay + attemptMs;
    }
  }

  test('backs off from 250 ms, doubling to at most 4 s', () => {
    expect(waits(0).slice(0, 7)).toEqual([250, 500, 1_000, 2_000, 4_000, 4_000, 4_000]);
  });

  test('starts no attempt after 30 s, however long each takes', () => {
    for (const attemptMs of [0, 5, 500, 2_000]) {
      const schedule = waits(attemptMs);
      const lastStart = schedule.reduce((sum, delay) => sum + delay + attemptMs, 0);
      expect(lastStart).toBeLessThanOrEqual(30_000);
      expect(lastStart).toBeGreaterThan(30_000 - 4_000 - attemptMs);
    }
  });

  test('a worker listening 2 s after its task is RUNNING is reached within about a second of it', () => {
    let start = 0;
    for (let attempts = 1; start < 2_000; attempts++) {
      start += nextAttemptDelay(STARTING_WORKER_PATIENCE, attempts, start)!;
    }
    expect(start).toBeLessThan(2_000 + 2_000);
  });
});
