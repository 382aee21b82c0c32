import { randomBytes } from 'crypto';

/** A per-task worker token: 256 random bits, base64url so that it fits a header and an env var as is. */
export function newWorkerToken(): string {
  return randomBytes(32).toString('base64url');
}
