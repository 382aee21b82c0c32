import type { Caller } from './caller';

/**
 * Whether a caller may see or act on something they may not own. Another caller's dispatch answers as if it
 * did not exist (404), so ids cannot be probed.
 */
export function mayAccess(caller: Caller, owner: string): boolean {
  return caller.admin || caller.id === owner;
}
