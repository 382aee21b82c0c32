/** Exponential backoff bounds: the ceiling doubles from `baseMs` per attempt up to `capMs`. */
export interface Backoff {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 200, capMs: 5_000 };

/**
 * The wait after failed attempt `attempt` (0 for the first): "full jitter", uniform in
 * [0, min(cap, base · 2^attempt)). Spreading waits over the whole window keeps callers that failed
 * together (throttled by the same burst) from retrying together.
 */
export function delayMs(attempt: number, backoff: Backoff = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export interface RetryOptions {
  /** Calls of `operation` at most, the first included. */
  readonly attempts?: number;
  readonly isRetryable: (error: unknown) => boolean;
  /** Injectable so that tests neither wait nor depend on chance. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly backoff?: Backoff;
}

export const DEFAULT_ATTEMPTS = 5;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Run `operation` until it succeeds, fails with an error that is not retryable, or runs out of attempts. */
export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt + 1 >= attempts || !options.isRetryable(error)) {
        throw error;
      }
      await sleep(delayMs(attempt, options.backoff, options.random));
    }
  }
}
