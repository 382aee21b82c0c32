/**
 * Why a RunTask call started no task, and what to do about it:
 * - `capacity`: Fargate (Spot) had no room; another capacity provider may, and later this one may.
 * - `throttling`: the API refused the call before acting on it; the same call later will do.
 * - `server`: ECS failed (5xx); it may have started the task anyway, so a retry must be idempotent.
 * - `rejected`: the request is wrong or not allowed (AccessDenied, InvalidParameter, ClientException…);
 *   repeating it cannot help.
 */
export type LaunchFailureKind = 'capacity' | 'throttling' | 'server' | 'rejected';

export interface LaunchFailure {
  readonly kind: LaunchFailureKind;
  readonly retryable: boolean;
  /** AWS's reason, as the dispatch's error will show it. */
  readonly reason: string;
}

/** An entry of RunTask's `failures[]`. */
export interface TaskFailure {
  readonly arn?: string;
  readonly reason?: string;
  readonly detail?: string;
}

/** A RunTask answer without a task, or the error a RunTask call threw. */
export type FailedLaunch = { readonly failures: readonly TaskFailure[] } | { readonly error: unknown };

const THROTTLING_ERRORS = new Set(['ThrottlingException', 'TooManyRequestsException']);
/** The caller's own fault, whatever the message says (it may well mention capacity providers). */
const CALLER_ERRORS = /^(AccessDenied|InvalidParameter|ClientException)/;
/**
 * `RESOURCE:CPU|MEMORY|ENI…` and "Capacity is unavailable at this time…" are what RunTask reports when
 * Fargate or Fargate Spot has no room; the Spot pattern catches wordings naming Spot capacity.
 */
const CAPACITY_REASONS = [/^RESOURCE:/, /capacity is unavailable/i, /spot\s*capacity/i];

export function classifyLaunchFailure(failed: FailedLaunch): LaunchFailure {
  if ('failures' in failed) {
    return classifyTaskFailure(failed.failures[0]);
  }
  return classifyError(failed.error);
}

function classifyTaskFailure(failure: TaskFailure | undefined): LaunchFailure {
  if (!failure?.reason) {
    return outcome('rejected', 'RunTask started no task and gave no reason');
  }
  const reason = failure.detail ? `${failure.reason} (${failure.detail})` : failure.reason;
  return outcome(isCapacity(reason) ? 'capacity' : 'rejected', reason);
}

function classifyError(error: unknown): LaunchFailure {
  // Read structurally: an SDK error need not be an instance of this realm's Error.
  const { name, message, $metadata } = (error ?? {}) as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const errorName = typeof name === 'string' ? name : 'Error';
  const text = typeof message === 'string' && message ? `${errorName}: ${message}` : errorName;
  const status = typeof $metadata?.httpStatusCode === 'number' ? $metadata.httpStatusCode : undefined;
  if (THROTTLING_ERRORS.has(errorName) || status === 429) {
    return outcome('throttling', text);
  }
  if (errorName === 'ServerException' || (status !== undefined && status >= 500)) {
    return outcome('server', text);
  }
  if (CALLER_ERRORS.test(errorName)) {
    return outcome('rejected', text);
  }
  return outcome(isCapacity(text) ? 'capacity' : 'rejected', text);
}

function isCapacity(text: string): boolean {
  return CAPACITY_REASONS.some((pattern) => pattern.test(text));
}

function outcome(kind: LaunchFailureKind, reason: string): LaunchFailure {
  return { kind, retryable: kind !== 'rejected', reason };
}
