import { createHash, timingSafeEqual } from 'crypto';
import { isDispatchId } from '../artifacts/artifact-prefix';
import type { Dispatch } from '../dispatch/dispatch';
import type { PoolWorker } from '../pool/pool-worker';

/**
 * The variable that names the worker-credentials function to the worker (set in every agent task
 * definition's environment by src/control-plane/worker-credentials.ts): the worker invokes it with its
 * task role just before it publishes and uploads (docs/security.md, "Credentials that outlast the run").
 */
export const WORKER_CREDENTIALS_FUNCTION_VARIABLE = 'OUTPOST_CREDENTIALS_FUNCTION';

/**
 * How long a renewed upload policy lasts: the worker uses it at once, for the artifacts and result.json, and
 * these go up within the task's 120 s stop timeout. A short policy is one an agent that read it can use for less.
 */
export const RENEWED_UPLOAD_SECONDS = 900;

/**
 * How long after a cancel or a timeout a dispatch's task may still renew: ECS gives the worker 120 s from
 * SIGTERM to push and upload (the task definition's stop timeout), and the task-stopped handler forgets the
 * task once it stops; this bounds it should that event be late.
 */
export const STOPPING_GRACE_MS = 5 * 60_000;

/** What the worker sends: the dispatch it runs, and the assignment token its task was sealed with. */
export interface WorkerCredentialsRequest {
  readonly dispatchId: string;
  readonly token: string;
}

/** The renewed credentials: a presigned POST for the dispatch's prefix, and a git credential when its repository needs one. */
export interface RenewedCredentials {
  readonly upload: { readonly url: string; readonly fields: Readonly<Record<string, string>>; readonly keyPrefix: string };
  readonly git?: { readonly username: string; readonly token: string };
}

/** Why the function gives nothing: the status an HTTP API would answer, a stable code, the request field at fault. */
export interface WorkerCredentialsRefusal {
  readonly status: 400 | 403 | 404 | 409 | 503;
  readonly code: string;
  readonly message: string;
  readonly field?: keyof WorkerCredentialsRequest;
}

/**
 * The function's answer (its Invoke payload): `statusCode` 200 with the credentials, or a refusal in the
 * API's error shape (`{ error: { code, message, field? } }`), never both.
 */
export type WorkerCredentialsAnswer =
  | { readonly statusCode: 200; readonly credentials: RenewedCredentials }
  | { readonly statusCode: WorkerCredentialsRefusal['status']; readonly error: Omit<WorkerCredentialsRefusal, 'status'> };

/** The longest token accepted: a worker token is 43 characters (core/pool/worker-token.ts). */
const MAX_TOKEN_LENGTH = 512;

/** The request, or what is wrong with it, by field. */
export function parseWorkerCredentialsRequest(event: unknown): WorkerCredentialsRequest | WorkerCredentialsRefusal {
  const { dispatchId, token } = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  if (typeof dispatchId !== 'string' || !isDispatchId(dispatchId)) {
    return { status: 400, code: 'InvalidField', field: 'dispatchId', message: 'must be a dispatch id (a ULID, 26 upper-case Crockford base32 characters)' };
  }
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    return { status: 400, code: 'InvalidField', field: 'token', message: `must be the worker's assignment token (a string of 1 to ${MAX_TOKEN_LENGTH} characters)` };
  }
  return { dispatchId, token };
}

/**
 * Whether the dispatch has a live task that could hold a token for it: it exists, it was given a task, and
 * that task is still the platform's (the pool forgets a task once it stops) and serves this dispatch. Checked
 * before any token is opened; the dispatch's status is told only to its own worker (`statusRefusal`).
 */
export function taskRefusal(
  dispatchId: string, dispatch: Dispatch | undefined, worker: PoolWorker | undefined,
): WorkerCredentialsRefusal | undefined {
  if (!dispatch) {
    return { status: 404, code: 'NotFound', field: 'dispatchId', message: `no dispatch ${dispatchId}` };
  }
  if (!dispatch.taskArn) {
    return { status: 409, code: 'NoTask', field: 'dispatchId', message: `dispatch ${dispatchId} has no task: no worker holds a token for it` };
  }
  if (!worker || worker.dispatchId !== dispatch.id) {
    return {
      status: 403,
      code: 'TaskGone',
      field: 'token',
      message: `dispatch ${dispatchId}'s task has stopped or serves another dispatch: no token is good for it`,
    };
  }
  return undefined;
}

/** The refusal of a token that is not the one sealed for the dispatch's task. */
export function wrongTokenRefusal(dispatchId: string): WorkerCredentialsRefusal {
  return { status: 403, code: 'WrongToken', field: 'token', message: `is not the assignment token of dispatch ${dispatchId}'s task` };
}

/**
 * Whether the dispatch's run may still push and upload: while RUNNING, and for a short while after a cancel
 * or a timeout, when the worker saves what the agent did within its stop timeout. Nothing before the hand-off
 * (the worker has no assignment yet) and nothing for a run that completed or failed.
 */
export function statusRefusal(dispatch: Dispatch, now: Date): WorkerCredentialsRefusal | undefined {
  if (dispatch.status === 'RUNNING') {
    return undefined;
  }
  if (dispatch.status === 'CANCELLED' || dispatch.status === 'TIMED_OUT') {
    const ended = Date.parse(dispatch.finishedAt ?? dispatch.updatedAt);
    if (now.getTime() - ended <= STOPPING_GRACE_MS) {
      return undefined;
    }
    return {
      status: 409,
      code: 'RunOver',
      field: 'dispatchId',
      message: `dispatch ${dispatch.id} ended ${dispatch.status} more than ${STOPPING_GRACE_MS / 60_000} minutes ago: its task has had its time to save its work`,
    };
  }
  return {
    status: 409,
    code: 'NotRunning',
    field: 'dispatchId',
    message: `dispatch ${dispatch.id} is ${dispatch.status}: credentials are renewed only for a RUNNING run (or one cancelled or timed out moments ago)`,
  };
}

/**
 * Whether `presented` is `expected`, in constant time: both are hashed first, so that the comparison runs over
 * equal-length digests and leaks neither the token nor its length.
 */
export function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The answer that carries a refusal. */
export function refusalAnswer(refusal: WorkerCredentialsRefusal): WorkerCredentialsAnswer {
  const { status, ...error } = refusal;
  return { statusCode: status, error };
}
