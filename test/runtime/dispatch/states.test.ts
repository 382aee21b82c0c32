import { canTransition, DISPATCH_STATUSES, DispatchStatus, FINAL_STATES, isFinal } from '../../../runtime/core/dispatch/states';

// The table of docs/control-plane.md, written out again here so that a change to either shows.
const DOCUMENTED: readonly (readonly [DispatchStatus, DispatchStatus])[] = [
  ['QUEUED', 'STARTING'],
  ['QUEUED', 'CANCELLED'],
  ['QUEUED', 'FAILED'],
  ['STARTING', 'RUNNING'],
  ['STARTING', 'FAILED'],
  ['STARTING', 'CANCELLED'],
  ['RUNNING', 'CANCELLED'],
  ['RUNNING', 'COMPLETED'],
  ['RUNNING', 'FAILED'],
  ['RUNNING', 'TIMED_OUT'],
];
const allowed = new Set(DOCUMENTED.map(([from, to]) => `${from}→${to}`));
const allPairs = DISPATCH_STATUSES.flatMap((from) => DISPATCH_STATUSES.map((to) => [from, to] as const));

describe('dispatch states', () => {
  test('are the seven of the design', () => {
    expect([...DISPATCH_STATUSES].sort()).toEqual(['CANCELLED', 'COMPLETED', 'FAILED', 'QUEUED', 'RUNNING', 'STARTING', 'TIMED_OUT']);
    expect([...FINAL_STATES].sort()).toEqual(['CANCELLED', 'COMPLETED', 'FAILED', 'TIMED_OUT']);
  });

  test.each(allPairs.filter(([from, to]) => allowed.has(`${from}→${to}`)))('%s → %s is allowed', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  test.each(allPairs.filter(([from, to]) => !allowed.has(`${from}→${to}`)))('%s → %s is refused', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  test('final states never change, and only they are final', () => {
    for (const status of DISPATCH_STATUSES) {
      const leaves = DISPATCH_STATUSES.filter((to) => canTransition(status, to));
      expect(isFinal(status)).toBe(leaves.length === 0);
    }
    expect(isFinal(DispatchStatus.QUEUED)).toBe(false);
    expect(isFinal(DispatchStatus.TIMED_OUT)).toBe(true);
  });
});
