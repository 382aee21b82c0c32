import type { LifecycleDeps } from './lifecycle-deps';
import type { Caller } from '../core/api/caller';
import { mayAccess } from '../core/api/ownership';
import type { Dispatch } from '../core/dispatch/dispatch';
import { isFinal, type DispatchStatus } from '../core/dispatch/states';

/** Another writer may move the dispatch between our read and our write (STARTING → RUNNING): tries this often. */
const CANCEL_ATTEMPTS = 3;

export type Cancellation =
  /** No such dispatch, or another caller's: answered as if it did not exist. */
  | { readonly kind: 'not-found' }
  /** Cancelled now, from `from`; its task (if any) is being stopped. */
  | { readonly kind: 'cancelled'; readonly dispatch: Dispatch; readonly from: DispatchStatus }
  /** Already final (or made final by another writer meanwhile): as it is. */
  | { readonly kind: 'unchanged'; readonly dispatch: Dispatch };

/** `DELETE /dispatch/{id}`: cancel, and stop the run's task; idempotent (a finished dispatch is left as it is). */
export async function cancelDispatch(deps: Pick<LifecycleDeps, 'dispatches' | 'launcher' | 'now'>, caller: Caller, id: string | undefined): Promise<Cancellation> {
  const dispatch = id ? await deps.dispatches.get(id) : undefined;
  if (!dispatch || !mayAccess(caller, dispatch.requester)) {
    return { kind: 'not-found' };
  }
  let current = dispatch;
  for (let attempt = 0; attempt < CANCEL_ATTEMPTS && !isFinal(current.status); attempt++) {
    const outcome = await deps.dispatches.transition(current, 'CANCELLED', deps.now(), { reason: `cancelled by ${caller.id}` });
    if (outcome.applied) {
      if (outcome.dispatch.taskArn) {
        await deps.launcher.stop(outcome.dispatch.taskArn, `dispatch ${dispatch.id} cancelled`);
      }
      return { kind: 'cancelled', dispatch: outcome.dispatch, from: current.status };
    }
    current = outcome.current;
  }
  return { kind: 'unchanged', dispatch: current };
}
