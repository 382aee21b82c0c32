import { failDispatch } from './fail-dispatch';
import type { LifecycleDeps } from './lifecycle-deps';
import type { Dispatch } from '../core/dispatch/dispatch';
import type { DispatchStatus } from '../core/dispatch/states';

/** A dispatch still QUEUED this long was dropped by a create that did not finish. */
const QUEUED_LIMIT_MS = 5 * 60_000;
/** A worker not ready this long after its task started will not be: Fargate starts tasks in about a minute. */
const STARTING_LIMIT_MS = 15 * 60_000;

/** A dispatch the sweeper ended: TIMED_OUT past its deadline, or FAILED when stuck QUEUED or STARTING. */
export interface SweptDispatch {
  readonly dispatchId: string;
  readonly agent: string;
  readonly outcome: 'TIMED_OUT' | 'FAILED';
  readonly reason: string;
}

/**
 * Nothing stays in a non-final state forever: runs past their deadline are stopped and TIMED_OUT, dispatches
 * stuck QUEUED or STARTING are FAILED with a reason (their task, if any, stopped).
 */
export async function sweep(deps: LifecycleDeps): Promise<SweptDispatch[]> {
  const now = deps.now();
  const swept: SweptDispatch[] = [];
  for (const agent of Object.keys(deps.config.agents)) {
    for (const status of ['QUEUED', 'STARTING', 'RUNNING'] as DispatchStatus[]) {
      for (const dispatch of await deps.dispatches.listByAgentStatus(agent, status)) {
        if (status === 'RUNNING' && dispatch.deadline && Date.parse(dispatch.deadline) < now.getTime()) {
          const reason = `the run passed its ${dispatch.timeoutSeconds} s timeout`;
          if (await timeOut(deps, dispatch, reason)) {
            swept.push({ dispatchId: dispatch.id, agent, outcome: 'TIMED_OUT', reason });
          }
        } else if (stuck(dispatch, now)) {
          const reason = status === 'QUEUED'
            ? 'the dispatch could not be started (its start was interrupted)'
            : 'the worker did not become ready in time';
          await stopTask(deps, dispatch, 'stuck');
          await failDispatch(deps, dispatch, reason);
          swept.push({ dispatchId: dispatch.id, agent, outcome: 'FAILED', reason });
        }
      }
    }
  }
  return swept;
}

/** QUEUED too long, or STARTING past the start limit or its own deadline (it never ran: FAILED, not TIMED_OUT). */
function stuck(dispatch: Dispatch, now: Date): boolean {
  const since = Date.parse(dispatch.status === 'STARTING' ? dispatch.startedAt ?? dispatch.updatedAt : dispatch.updatedAt);
  const limit = dispatch.status === 'QUEUED' ? QUEUED_LIMIT_MS
    : dispatch.status === 'STARTING' ? Math.min(STARTING_LIMIT_MS, dispatch.timeoutSeconds * 1000) : Infinity;
  return now.getTime() - since > limit;
}

async function timeOut(deps: LifecycleDeps, dispatch: Dispatch, reason: string): Promise<boolean> {
  await stopTask(deps, dispatch, 'deadline passed');
  const outcome = await deps.dispatches.transition(dispatch, 'TIMED_OUT', deps.now(), { reason, error: reason });
  return outcome.applied;
}

async function stopTask(deps: LifecycleDeps, dispatch: Dispatch, why: string): Promise<void> {
  if (dispatch.taskArn) {
    await deps.launcher.stop(dispatch.taskArn, `dispatch ${dispatch.id}: ${why}`);
  }
}
