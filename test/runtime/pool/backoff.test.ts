import * as fc from 'fast-check';
import { DEFAULT_BACKOFF, delayMs, retry } from '../../../runtime/core/backoff';

const JUST_BELOW_ONE = 1 - Number.EPSILON;

describe('delayMs', () => {
  test('the ceiling doubles from 200 ms per attempt and stops at 5 s', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 12].map((attempt) => delayMs(attempt, DEFAULT_BACKOFF, () => JUST_BELOW_ONE) + 1);
    expect(ceilings).toEqual([200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });

  test('full jitter reaches down to zero', () => {
    expect(delayMs(4, DEFAULT_BACKOFF, () => 0)).toBe(0);
  });

  test('is a whole number of milliseconds in [0, min(cap, base · 2^attempt)) for any attempt and draw', () => {
    fc.assert(fc.property(fc.nat(60), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, draw) => {
      const delay = delayMs(attempt, DEFAULT_BACKOFF, () => draw);
      return Number.isInteger(delay) && delay >= 0 && delay < Math.min(5000, 200 * 2 ** attempt);
    }));
  });

  test('spreads waits evenly over the window, not around its middle or top', () => {
    // Seeded and unbiased (fast-check otherwise favours edge values), so the counts below are reproducible.
    const draws = fc.sample(fc.noBias(fc.integer({ min: 0, max: 2 ** 32 - 1 })), { seed: 42, numRuns: 20_000 });
    const samples = draws.map((draw) => delayMs(3, DEFAULT_BACKOFF, () => draw / 2 ** 32)); // window [0, 1600)
    const buckets = new Array<number>(8).fill(0);
    for (const sample of samples) {
      buckets[Math.floor(sample / 200)]++;
    }
    // Uniform: 2,500 a bucket. "Equal jitter" (half fixed) would leave the lower half empty.
    for (const count of buckets) {
      expect(count).toBeGreaterThan(2_300);
      expect(count).toBeLessThan(2_700);
    }
    const mean = samples.reduce((sum, sample) => sum + sample, 0) / samples.length;
    expect(mean).toBeGreaterThan(780);
    expect(mean).toBeLessThan(820);
  });
});

describe('retry', () => {
  function failing(failures: unknown[], result = 'done') {
    const operation = jest.fn(async () => {
      if (failures.length > 0) {
        throw failures.shift();
      }
      return result;
    });
    return operation;
  }
  const retryable = (error: unknown) => (error as Error).message === 'retryable';

  test('waits a jittered, growing delay between tries and returns the first success', async () => {
    const sleeps: number[] = [];
    const operation = failing([new Error('retryable'), new Error('retryable')]);
    const result = await retry(operation, { isRetryable: retryable, sleep: async (ms) => { sleeps.push(ms); }, random: () => 0.5 });
    expect(result).toBe('done');
    expect(operation.mock.calls).toEqual([[0], [1], [2]]);
    expect(sleeps).toEqual([100, 200]);
  });

  test('stops at once on an error that is not retryable', async () => {
    const sleep = jest.fn(async () => {});
    const operation = failing([new Error('fatal')]);
    await expect(retry(operation, { isRetryable: retryable, sleep })).rejects.toThrow('fatal');
    expect(operation).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  test('gives up after 5 tries by default with the last error, having slept between them only', async () => {
    const sleeps: number[] = [];
    const errors = [1, 2, 3, 4, 5, 6].map(() => new Error('retryable'));
    const last = errors[4];
    const operation = failing([...errors]);
    const rejection = retry(operation, { isRetryable: retryable, sleep: async (ms) => { sleeps.push(ms); }, random: () => JUST_BELOW_ONE });
    await expect(rejection).rejects.toBe(last);
    expect(operation).toHaveBeenCalledTimes(5);
    expect(sleeps).toEqual([199, 399, 799, 1599]);
  });

  test('honours a smaller number of attempts', async () => {
    const operation = failing([new Error('retryable'), new Error('retryable')]);
    await expect(retry(operation, { attempts: 2, isRetryable: retryable, sleep: async () => {} })).rejects.toThrow('retryable');
    expect(operation).toHaveBeenCalledTimes(2);
  });
});
