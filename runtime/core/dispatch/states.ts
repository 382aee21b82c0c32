/** Where a dispatch is in its life (docs/control-plane.md, "Dispatch states"). */
export const DispatchStatus = {
  QUEUED: 'QUEUED',
  STARTING: 'STARTING',
  RUNNING: 'RUNNING',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
  TIMED_OUT: 'TIMED_OUT',
} as const;
export type DispatchStatus = (typeof DispatchStatus)[keyof typeof DispatchStatus];

export const DISPATCH_STATUSES: readonly DispatchStatus[] = Object.values(DispatchStatus);

/** States a dispatch never leaves: its task is gone and its outcome is recorded. */
export const FINAL_STATES: ReadonlySet<DispatchStatus> = new Set([
  DispatchStatus.COMPLETED,
  DispatchStatus.FAILED,
  DispatchStatus.CANCELLED,
  DispatchStatus.TIMED_OUT,
]);

const { QUEUED, STARTING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMED_OUT } = DispatchStatus;

/**
 * Every move a dispatch may make; anything else is a late, repeated or out-of-order event and is refused.
 * FAILED is reachable before RUNNING because a task can fail to start or stop before the hand-off.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<DispatchStatus, readonly DispatchStatus[]>> = {
  [QUEUED]: [STARTING, CANCELLED, FAILED],
  [STARTING]: [RUNNING, FAILED, CANCELLED],
  [RUNNING]: [COMPLETED, FAILED, TIMED_OUT, CANCELLED],
  [COMPLETED]: [],
  [FAILED]: [],
  [CANCELLED]: [],
  [TIMED_OUT]: [],
};

export function canTransition(from: DispatchStatus, to: DispatchStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

export function isFinal(status: DispatchStatus): boolean {
  return FINAL_STATES.has(status);
}

/**
 * The statuses a dispatch passes through from `from` to `to` (ending with `to`), by the fewest moves; empty
 * when `to` cannot be reached. One write may make several moves (a warm start), and each is published.
 */
export function transitionPath(from: DispatchStatus, to: DispatchStatus): DispatchStatus[] {
  const cameFrom = new Map<DispatchStatus, DispatchStatus>();
  const frontier: DispatchStatus[] = [from];
  while (frontier.length > 0 && !cameFrom.has(to)) {
    const status = frontier.shift()!;
    for (const next of ALLOWED_TRANSITIONS[status]) {
      if (!cameFrom.has(next) && next !== from) {
        cameFrom.set(next, status);
        frontier.push(next);
      }
    }
  }
  const path: DispatchStatus[] = [];
  for (let status = to; cameFrom.has(status); status = cameFrom.get(status)!) {
    path.unshift(status);
  }
  return path;
}
