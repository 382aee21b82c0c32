import type { LifecycleDeps } from './lifecycle-deps';
import type { Dispatch } from '../core/dispatch/dispatch';

/**
 * Moves a dispatch to FAILED with `reason`, for every service that gives up on one (the warm start, the cold
 * start, the hand-off, the sweeper). Resolves to the dispatch as it is now: another writer may have moved it
 * first, and then its state stands.
 */
export async function failDispatch(deps: Pick<LifecycleDeps, 'dispatches' | 'now'>, dispatch: Dispatch, reason: string): Promise<Dispatch> {
  const outcome = await deps.dispatches.transition(dispatch, 'FAILED', deps.now(), { reason, error: reason });
  return outcome.applied ? outcome.dispatch : outcome.current;
}
