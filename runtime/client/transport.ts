import { errorFromResponse, isRetryable, OutpostConnectionError } from './errors';
import { signingRegion, type OutpostClientOptions } from './options';
import { RequestSigner } from './signer';
import { DEFAULT_ATTEMPTS, retry } from '../core/backoff';

export type Method = 'GET' | 'POST' | 'DELETE';
export type Query = Readonly<Record<string, string | number | undefined>>;

export interface ApiCall {
  readonly method: Method;
  /** Below the endpoint, starting with `/`; path parameters already encoded. */
  readonly path: string;
  readonly query?: Query;
  readonly body?: unknown;
  /** Error statuses whose body is nonetheless the answer (GET /health's 503). */
  readonly accept?: readonly number[];
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** One signed JSON call to the API: a fresh signature per attempt, retries on throttling and failures, typed errors. */
export class Transport {
  private readonly base: URL;
  private readonly signer: RequestSigner;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: OutpostClientOptions) {
    this.base = new URL(options.endpoint);
    this.signer = new RequestSigner(signingRegion(options), options.credentials);
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  public async call<T>(call: ApiCall): Promise<T> {
    const url = this.url(call.path, call.query ?? {});
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const deadline = this.options.totalTimeoutMs === undefined ? undefined : AbortSignal.timeout(this.options.totalTimeoutMs);
    return retry(() => this.attempt<T>(call, url, body, deadline), {
      attempts: this.options.maxAttempts ?? DEFAULT_ATTEMPTS,
      backoff: this.options.backoff,
      isRetryable: (error) => deadline?.aborted !== true && isRetryable(error),
    });
  }

  private async attempt<T>(call: ApiCall, url: URL, body: string | undefined, deadline: AbortSignal | undefined): Promise<T> {
    // Signed anew each time: a signature is valid for minutes only, and credentials may have been refreshed.
    const headers = await this.signer.sign(call.method, url, body);
    let status: number;
    let text: string;
    let requestId: string | undefined;
    try {
      const attempt = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const signal = deadline === undefined ? attempt : AbortSignal.any([attempt, deadline]);
      const response = await this.fetch(url, { method: call.method, headers, body, signal });
      status = response.status;
      requestId = response.headers.get('apigw-requestid') ?? undefined;
      text = await response.text();
    } catch (error) {
      throw new OutpostConnectionError(url.origin, error);
    }
    if ((status >= 200 && status < 300) || call.accept?.includes(status)) {
      return (text === '' ? undefined : JSON.parse(text)) as T;
    }
    throw errorFromResponse(status, text, requestId, `${call.method} ${call.path}`);
  }

  /** The endpoint may carry a base path (a custom domain's mapping); the query is encoded as SigV4 encodes it. */
  private url(path: string, query: Query): URL {
    const url = new URL(this.base.origin);
    url.pathname = `${this.base.pathname.replace(/\/$/, '')}${path}`;
    url.search = Object.entries(query)
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([name, value]) => `${rfc3986(name)}=${rfc3986(String(value))}`)
      .join('&');
    return url;
  }
}

/** encodeURIComponent leaves `!'()*` as they are; SigV4's canonical form escapes them. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
