import { encodeTime } from 'ulid';

/**
 * The least ULID of a dispatch created at or after `epochMs`: its time part (the first 10 characters) and the
 * lowest random part. Dispatch ids are ULIDs, so `id >= firstIdAt(t)` on an index sorted by id reads the
 * dispatches created since `t`.
 */
export function firstIdAt(epochMs: number): string {
  return `${encodeTime(Math.max(0, Math.floor(epochMs)), 10)}${'0'.repeat(16)}`;
}
