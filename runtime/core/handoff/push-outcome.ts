/** How a push of an assignment to a worker ended, and what the control plane does next. */
export type PushOutcome =
  /** The worker took it: the dispatch is RUNNING. */
  | { readonly kind: 'accepted' }
  /** Try the same worker again shortly (it is starting, overloaded, or the network hiccupped). */
  | { readonly kind: 'retry'; readonly reason: string }
  /** This worker will never take it (already assigned, token mismatch): release the dispatch to another. */
  | { readonly kind: 'other-worker'; readonly reason: string }
  /** No worker would take it: the assignment itself is invalid, so the dispatch fails. */
  | { readonly kind: 'reject'; readonly reason: string }
  /** Nothing was pushed: the dispatch cannot run (its repository's credential could not be had), so it fails. */
  | { readonly kind: 'fail'; readonly reason: string };

/** Classify the worker's answer (see runtime/worker/README.md, "HTTP API"). */
export function classifyPush(status: number, body: string): PushOutcome {
  if (status === 202) {
    return { kind: 'accepted' };
  }
  const reason = `worker answered ${status}: ${errorMessage(body)}`;
  if (status === 409 || status === 401) {
    return { kind: 'other-worker', reason };
  }
  if (status === 400 || status === 413 || status === 422) {
    return { kind: 'reject', reason };
  }
  return { kind: 'retry', reason };
}

/** A network failure or timeout: the worker may be fine a moment later. */
export function networkFailure(error: unknown): PushOutcome {
  return { kind: 'retry', reason: unreachableReason(error) };
}

/**
 * Why a request got no answer, in words: the error's name and message, and what caused it (fetch reports a
 * refused or reset connection as `TypeError: fetch failed` with the system error as cause: its code,
 * ECONNREFUSED…, or else its message).
 */
export function unreachableReason(error: unknown): string {
  const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const why = typeof cause?.code === 'string' ? cause.code : cause?.message;
  const detail = typeof message === 'string' ? ` (${message}${typeof why === 'string' ? `, ${why}` : ''})` : '';
  return `worker unreachable: ${typeof name === 'string' ? name : 'Error'}${detail}`;
}

function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown; field?: unknown } };
    const message = typeof parsed.error?.message === 'string' ? parsed.error.message : body.slice(0, 200);
    return typeof parsed.error?.field === 'string' ? `${parsed.error.field}: ${message}` : message;
  } catch {
    return body.slice(0, 200);
  }
}
