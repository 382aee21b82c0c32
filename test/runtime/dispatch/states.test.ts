import { canTransition, DISPATCH_STATUSES, DispatchStatus, FINAL_STATES, isFinal, transitionPath } from '../../../runtime/core/dispatch/states';

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

  test('transitionPath: the fewest moves from one status to another, each allowed; none when unreachable', () => {
    expect(transitionPath('QUEUED', 'RUNNING')).toEqual(['STARTING', 'RUNNING']);
    expect(transitionPath('QUEUED', 'COMPLETED')).toEqual(['STARTING', 'RUNNING', 'COMPLETED']);
    expect(transitionPath('QUEUED', 'CANCELLED')).toEqual(['CANCELLED']);
    expect(transitionPath('RUNNING', 'QUEUED')).toEqual([]);
    expect(transitionPath('STARTING', 'STARTING')).toEqual([]);
    for (const [from, to] of allPairs) {
      const path = transitionPath(from, to);
      path.forEach((status, i) => expect(canTransition(i === 0 ? from : path[i - 1], status)).toBe(true));
      expect(path.length > 0).toBe(from !== to && (canTransition(from, to) || path.length > 1));
    }
  });
});
