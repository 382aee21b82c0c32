/**
 * Codes for answers that do not carry the API's own `{ "error": { code, message, field? } }`: those API
 * Gateway gives itself (`{ "message": "Forbidden" }` for a refused signature or permission, 429 when
 * throttled, 5xx when a function fails).
 */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  413: 'PayloadTooLarge',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** The API answered with an error status. Branch on `code`, which is stable; `message` is for people. */
export class OutpostApiError extends Error {
  public override readonly name = 'OutpostApiError';

  constructor(
    public readonly status: number,
    /** The API's code (`InvalidField`, `NotFound`…), or one named after the status when API Gateway answered itself. */
    public readonly code: string,
    message: string,
    /** The request field at fault, as a JSON path (`repository.url`), when one is. */
    public readonly field?: string,
    /** API Gateway's id of the request (`apigw-requestid`), for finding it in the access log. */
    public readonly requestId?: string,
    /** The route called, `METHOD /path` (`POST /dispatch`): a 403 means the caller lacks the grant for it. */
    public readonly route?: string,
  ) {
    super(message);
  }

  /** Throttling and server errors may pass; anything else will fail again the same way. */
  public get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** The error an answer with status `status` stands for; its body names the code unless API Gateway answered itself. */
export function errorFromResponse(status: number, body: string, requestId?: string, route?: string): OutpostApiError {
  const document = parseJson(body);
  const error = document?.error;
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    return new OutpostApiError(status, error.code, error.message, typeof error.field === 'string' ? error.field : undefined, requestId, route);
  }
  const message = typeof document?.message === 'string' ? document.message : `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
  return new OutpostApiError(status, CODE_BY_STATUS[status] ?? `Http${status}`, message, undefined, requestId, route);
}

/** No answer came: the connection failed or the attempt timed out. Retried, as the request may pass next time. */
export class OutpostConnectionError extends Error {
  public override readonly name = 'OutpostConnectionError';

  constructor(url: string, cause: unknown) {
    super(`no answer from ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }

  /** Whether the attempt was abandoned for taking too long (rather than refused or cut off). */
  public get timedOut(): boolean {
    // An AbortSignal.timeout's reason: a DOMException named TimeoutError (not of every realm's Error).
    return typeof this.cause === 'object' && this.cause !== null && (this.cause as { name?: unknown }).name === 'TimeoutError';
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof OutpostConnectionError || (error instanceof OutpostApiError && error.retryable);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
