import { monotonicFactory } from 'ulid';
import { newDispatch, type Dispatch } from '../../../../runtime/core/dispatch/dispatch';
import { parseDispatchRequest, type DispatchRequest } from '../../../../runtime/core/dispatch/request';

/** Ids that increase with every call, as dispatches created one after another have. */
export const nextDispatchId = monotonicFactory();

export const ALICE = 'arn:aws:sts::123456789012:assumed-role/Dev/alice';
export const BOB = 'jwt:https://issuer.example.com#bob';
/**
 * `OUTPOST_CALLERS` of the tests' platforms: their people's roles fix their session names (as a platform
 * declares with `personalSessionRoles`), so ALICE (`Dev`) and the readers and admins are people, each owning
 * their dispatches by their session.
 */
export const CALLER_RULES = JSON.stringify({ sessionRoles: ['Dev', 'Readers', 'Admin'].map((role) => `arn:aws:iam::123456789012:role/${role}`) });

/** A request as the API would have accepted it. */
export function request(body: Record<string, unknown> = {}): DispatchRequest {
  const parsed = parseDispatchRequest(JSON.stringify({ agent: 'claude', prompt: 'fix the flaky test in parser.ts', ...body }));
  if (!parsed.ok) {
    throw new Error(`fixture request refused: ${parsed.error.message}`);
  }
  return parsed.request;
}

/** A new QUEUED dispatch. */
export function queued(body: Record<string, unknown> = {}, requester = ALICE, now = new Date('2026-01-02T03:04:05.000Z')): Dispatch {
  return newDispatch(request(body), requester, now, nextDispatchId(now.getTime()));
}
