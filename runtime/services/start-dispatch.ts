import { failDispatch } from './fail-dispatch';
import { pushAssignment, resolveModel } from './handoff';
import type { HeldWorkspace } from './hold-workspace';
import type { LifecycleDeps } from './lifecycle-deps';
import type { CreateOutcome } from '../adapters/dispatch-repository';
import type { Dispatch } from '../core/dispatch/dispatch';
import { DispatchStatus } from '../core/dispatch/states';
import type { PoolWorker } from '../core/pool/pool-worker';

/** Workers offered one dispatch before handing it to the starter: more would only delay a dispatch the pool cannot serve. */
const WARM_ATTEMPTS = 3;

/** An ephemeral workspace: nothing to give back. */
const EPHEMERAL: Pick<HeldWorkspace, 'createDispatch'> = { createDispatch: (write) => write() };

/**
 * Record a new dispatch and start it on an idle worker of its agent if one takes it (warm); otherwise hand it,
 * QUEUED, to the starter, which starts a task for it from the table's stream (runtime/services/cold-start.ts;
 * the hand-off follows when ECS reports the task running and its worker answers). A repeated idempotency key gets the first dispatch,
 * untouched. A dispatch on a persistent workspace (held by the caller, `holdWorkspace`) always starts cold,
 * on the workspace's task definition: that mounts it, and no warm worker was started from it.
 *
 * The warm path makes three AWS calls (docs/control-plane.md, "Hand-off and completion"): the query for
 * idle workers; one transaction creating the dispatch QUEUED with its claim on a worker; and, once the
 * worker has accepted, one transaction moving the dispatch through STARTING to RUNNING and the worker to
 * BUSY. The dispatch stays QUEUED until a worker has accepted it or a task runs for it, so a failed warm
 * hand-off never leaves it half-started. No ECS call is made here: starting tasks is the starter's, and a
 * worker this handler gives up on is drained, which the pool's scaler stops.
 */
export async function createAndStart(
  deps: LifecycleDeps,
  request: Dispatch,
  idempotencyItemId?: string,
  workspace: Pick<HeldWorkspace, 'createDispatch'> = EPHEMERAL,
): Promise<CreateOutcome> {
  // Resolved now rather than on start, so that the answer names the model a QUEUED dispatch will run.
  const dispatch: Dispatch = { ...request, model: resolveModel(request, deps) };
  if (dispatch.workspace.kind !== 'persistent') {
    for await (const candidate of deps.pool.idleCandidates(dispatch.agent)) {
      const claim = await deps.dispatches.createWith(dispatch, idempotencyItemId, deps.pool.reserveWrite(candidate, dispatch.id));
      if ('dispatch' in claim) {
        return claim.created ? { created: true, dispatch: await offer(deps, dispatch, { ...candidate, state: 'RESERVED', dispatchId: dispatch.id }, 1) } : claim;
      }
    }
  }
  const cold: Dispatch = { ...dispatch, coldStartRequestedAt: deps.now().toISOString() };
  return workspace.createDispatch(() => deps.dispatches.create(cold, idempotencyItemId));
}

/** Offer the dispatch to a worker reserved for it; on refusal, to the next idle worker, then to the starter. */
async function offer(deps: LifecycleDeps, dispatch: Dispatch, worker: PoolWorker, attempt: number): Promise<Dispatch> {
  const outcome = await pushAssignment(deps, dispatch, worker);
  if (outcome.kind === 'accepted') {
    return startedWarm(deps, dispatch, worker);
  }
  if (outcome.kind === 'reject' || outcome.kind === 'fail') {
    await deps.pool.release(worker.taskId, dispatch.id);
    return failDispatch(deps, dispatch, outcome.kind === 'fail' ? outcome.reason : `the worker rejected the assignment: ${outcome.reason}`);
  }
  await setAside(deps, worker, dispatch, outcome.kind === 'other-worker');
  const next = attempt < WARM_ATTEMPTS ? await deps.pool.claimIdle(dispatch.agent, dispatch.id) : null;
  return next ? offer(deps, dispatch, next, attempt + 1) : deps.dispatches.requestColdStart(dispatch, deps.now());
}

async function startedWarm(deps: LifecycleDeps, dispatch: Dispatch, worker: PoolWorker): Promise<Dispatch> {
  const steps = [
    { to: DispatchStatus.STARTING, details: { taskArn: worker.taskArn, warm: true, model: resolveModel(dispatch, deps) } },
    { to: DispatchStatus.RUNNING },
  ];
  const started = await deps.dispatches.transitionWith(dispatch, steps, deps.now(), deps.pool.busyWrite(worker, dispatch.id));
  if (started.applied) {
    return started.dispatch;
  }
  // Cancelled while the worker took it, or the worker's task stopped meanwhile: that run must not go ahead.
  await deps.pool.markDraining(worker);
  return started.current.status === DispatchStatus.QUEUED ? deps.dispatches.requestColdStart(started.current, deps.now()) : started.current;
}

/**
 * A worker that cannot take the dispatch now goes back to the pool; one that never will is drained: the
 * scaler stops draining workers (runtime/services/reconcile-pool.ts).
 */
async function setAside(deps: LifecycleDeps, worker: PoolWorker, dispatch: Dispatch, never: boolean): Promise<void> {
  if (never) {
    await deps.pool.markDraining(worker);
  } else {
    await deps.pool.release(worker.taskId, dispatch.id);
  }
}
