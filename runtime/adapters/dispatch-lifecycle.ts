import type { AuditLog } from './audit-log';
import type { DispatchEvents } from './dispatch-events';
import type { DispatchRepository, TransitionOutcome } from './dispatch-repository';
import type { Dispatch } from '../core/dispatch/dispatch';
import { transitionAuditRecord, transitionEvent, type DispatchTransitionEvent } from '../core/dispatch/events';
import type { DispatchStatus } from '../core/dispatch/states';
import type { TransitionDetails } from '../core/dispatch/transition';

export interface LifecycleDeps {
  readonly repository: Pick<DispatchRepository, 'transition'>;
  readonly events: Pick<DispatchEvents, 'publish'>;
  readonly audit: Pick<AuditLog, 'append'>;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** What followed an applied transition that did not go through. */
export interface SideEffectFailure {
  readonly step: 'publish' | 'audit';
  readonly error: unknown;
}

export type LifecycleOutcome =
  | (Extract<TransitionOutcome, { applied: true }> & {
    readonly event: DispatchTransitionEvent;
    /** Empty when the event was published and the audit record appended. */
    readonly failures: readonly SideEffectFailure[];
  })
  | Extract<TransitionOutcome, { applied: false }>;

/**
 * Moves a dispatch to `to`, then, only if this call's write applied, publishes the state change and appends
 * it to the audit log. Every handler changes a dispatch's status through here.
 *
 * A failed publish or append does not undo the transition, which is already the truth, nor does it throw:
 * the caller has the failures to log, and answers as the transition did.
 */
export async function applyTransition(
  deps: LifecycleDeps,
  dispatch: Dispatch,
  to: DispatchStatus,
  details: TransitionDetails = {},
): Promise<LifecycleOutcome> {
  const at = deps.now?.() ?? new Date();
  const outcome = await deps.repository.transition(dispatch, to, at, details);
  if (!outcome.applied) {
    return outcome;
  }
  const event = transitionEvent(dispatch, to, at, details.reason);
  // Both are attempted, so that a failed publish still leaves the audit trail, and the other way round.
  const [published, appended] = await Promise.allSettled([deps.events.publish(event), deps.audit.append(transitionAuditRecord(event))]);
  const failures: SideEffectFailure[] = [
    ...(published.status === 'rejected' ? [{ step: 'publish' as const, error: published.reason }] : []),
    ...(appended.status === 'rejected' ? [{ step: 'audit' as const, error: appended.reason }] : []),
  ];
  return { ...outcome, event, failures };
}
