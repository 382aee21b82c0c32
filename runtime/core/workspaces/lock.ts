import type { Dispatch } from '../dispatch/dispatch';
import { isFinal } from '../dispatch/states';

/**
 * A workspace is taken before its dispatch is written (so that a busy workspace writes nothing): a lock whose
 * dispatch is still missing after this long belongs to a request that died between the two writes. The
 * create handler's own timeout is 29 seconds.
 */
export const ORPHANED_LOCK_MS = 2 * 60_000;

/**
 * A finished run's lock is released when its task has stopped (its STOPPED event), not when the dispatch
 * became final: a cancelled or timed-out run keeps writing for up to ECS's 120-second stop timeout. Past
 * this, a lock whose STOPPED event was lost no longer guards anything.
 */
export const STOPPED_RUN_LOCK_MS = 10 * 60_000;

export type LockHolder = Pick<Dispatch, 'status' | 'taskArn' | 'finishedAt'>;

/**
 * Whether a workspace's lock may be taken over: its dispatch never came to be, or it is over and its task
 * (if it had one) is surely gone. The ordinary release (task-stopped and the outbox) usually came first;
 * this is what keeps a lost release from holding a workspace forever.
 */
export function isStaleLock(holder: LockHolder | undefined, lockedAt: string, now: Date): boolean {
  if (!holder) {
    return now.getTime() - Date.parse(lockedAt) > ORPHANED_LOCK_MS;
  }
  if (!isFinal(holder.status)) {
    return false;
  }
  if (!holder.taskArn) {
    return true;
  }
  return holder.finishedAt !== undefined && now.getTime() - Date.parse(holder.finishedAt) > STOPPED_RUN_LOCK_MS;
}
