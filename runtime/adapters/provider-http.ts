/** A provider's API called within the rotation function's time: they answer in well under a second when they answer. */
const TIMEOUT_MS = 10_000;

export interface ProviderCall {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** One HTTP call; a provider that cannot be reached or does not answer in time throws saying so. */
export async function callProvider(call: ProviderCall): Promise<{ readonly status: number; readonly body: string }> {
  try {
    const response = await fetch(call.url, {
      method: call.method,
      headers: { ...call.headers, ...(call.body !== undefined && { 'content-type': 'application/json' }) },
      body: call.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const cause = (error as Error).name === 'TimeoutError' ? 'did not answer in time' : `could not be reached (${(error as Error).message})`;
    throw new Error(`${new URL(call.url).origin} ${cause}`);
  }
}
