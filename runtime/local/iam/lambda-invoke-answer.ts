import type { Answer } from './error-answers';
import type { LambdaInvocation } from './operations/operation';

/** What a local function answered: its result, and whether it failed (Lambda's `X-Amz-Function-Error`). */
export interface InvokeResult {
  readonly payload: string | Buffer;
  readonly functionError?: 'Unhandled' | 'Handled';
}

/** Runs a function of the platform locally; the gate calls it instead of moto, which would need Docker. */
export type InvokeCallback = (functionName: string, payload: Buffer, invocationType: LambdaInvocation['invocationType']) => Promise<InvokeResult>;

/**
 * Lambda's answers to Invoke (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html): 200 with the
 * function's payload for RequestResponse (and `X-Amz-Function-Error` when the function failed), 202 with no
 * body for Event, whose run goes on after the answer, 204 for DryRun.
 */
export async function invokeAnswer(
  invoke: InvokeCallback, invocation: LambdaInvocation, payload: Buffer, onAsyncError: (error: unknown) => void,
): Promise<Answer> {
  const headers = { 'x-amz-executed-version': '$LATEST' };
  if (invocation.invocationType === 'DryRun') {
    return { status: 204, headers, body: '' };
  }
  if (invocation.invocationType === 'Event') {
    invoke(invocation.functionName, payload, 'Event').catch(onAsyncError);
    return { status: 202, headers, body: '' };
  }
  let result: InvokeResult;
  try {
    result = await invoke(invocation.functionName, payload, 'RequestResponse');
  } catch (error) {
    // The callback could not run the function at all (no such function, a crash of Outpost Local): Lambda's
    // ServiceException, not a function error, which the function's own answer reports.
    const message = `Outpost Local could not invoke ${invocation.functionName}: ${error instanceof Error ? error.message : String(error)}`;
    return {
      status: 500,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' },
      body: JSON.stringify({ Type: 'Service', message }),
    };
  }
  return {
    status: 200,
    headers: { ...headers, 'content-type': 'application/json', ...(result.functionError && { 'x-amz-function-error': result.functionError }) },
    body: Buffer.isBuffer(result.payload) ? result.payload.toString('utf8') : result.payload,
  };
}
