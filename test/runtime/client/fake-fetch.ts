/** One request as the client sent it. */
export interface SentRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: string | undefined;
}

/** What the fake answers: a status and a JSON body (or none), or an error fetch throws. */
export type FakeAnswer = { readonly status: number; readonly body?: unknown } | Error;

/**
 * A fetch that records what it is sent and answers from `answer`, called with the request and how many came
 * before it; no network.
 */
export function fakeFetch(
  answer: (request: SentRequest, index: number) => FakeAnswer | Promise<FakeAnswer>,
): { fetch: typeof fetch; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const fake = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const request: SentRequest = { method: init.method ?? 'GET', url: new URL(String(input)), headers: new Headers(init.headers), body: init.body as string | undefined };
    sent.push(request);
    const answered = await answer(request, sent.length - 1);
    if (answered instanceof Error) {
      throw answered;
    }
    return new Response(answered.body === undefined ? null : JSON.stringify(answered.body), { status: answered.status, headers: { 'apigw-requestid': `req-${sent.length}` } });
  };
  return { fetch: fake as typeof fetch, sent };
}

export const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
export const ENDPOINT = 'https://abc123.execute-api.eu-west-1.amazonaws.com/';
