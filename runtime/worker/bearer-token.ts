import { sameSecret } from '../core/handoff/worker-credentials';

/**
 * Whether an `Authorization` header carries the worker token, compared in constant time over digests of
 * both (sameSecret), so that the comparison leaks neither the token nor its length.
 */
export function hasBearerToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer (\S+)$/i.exec(authorization ?? '');
  if (!match) {
    return false;
  }
  return sameSecret(match[1], token);
}
