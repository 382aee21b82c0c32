import * as fc from 'fast-check';
import { claimOrder } from '../../../runtime/core/pool/claim-order';

describe('claimOrder', () => {
  test('the longest idle first, then every other worker of the page exactly once', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer(), { maxLength: 10 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (page, seed) => {
      const order = claimOrder(page, () => seed);
      expect(order[0]).toBe(page[0]);
      expect([...order].sort()).toEqual([...page].sort());
    }));
  });

  test('claimers who lost the first race spread over the rest of the page', () => {
    const page = Array.from({ length: 10 }, (_, index) => index);
    const seconds = new Set(Array.from({ length: 200 }, () => claimOrder(page)[1]));
    expect(seconds.size).toBeGreaterThan(5);
  });

  test('an empty page: nothing to try', () => {
    expect(claimOrder([])).toEqual([]);
  });
});
