import { createHash, timingSafeEqual } from 'crypto';

/**
 * Whether an `Authorization` header carries the worker token. Both sides are hashed first so that the
 * comparison is constant-time over equal-length digests and leaks neither the token nor its length.
 */
export function hasBearerToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer (\S+)$/i.exec(authorization ?? '');
  if (!match) {
    return false;
  }
  return timingSafeEqual(digest(match[1]), digest(token));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
