import { SignedPost, type ServiceEndpointOptions } from './signed-post';

/** Lambda refused the call (its `x-amzn-ErrorType`), or the function failed (`X-Amz-Function-Error`). */
export class LambdaInvokeError extends Error {
  constructor(public readonly type: string, message: string) {
    super(`Lambda ${type}: ${message}`);
    this.name = 'LambdaInvokeError';
  }
}

/**
 * Lambda's Invoke, synchronous (RequestResponse), over its REST API
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html: `POST /2015-03-31/functions/{FunctionName}/invocations`,
 * the event as the body, the function's answer as the response's), signed as the SDK signs: the worker calls it
 * once per run, where @aws-sdk/client-lambda would more than double its bundle.
 */
export class LambdaInvoker {
  private readonly lambda: SignedPost;

  /** `endpoint` defaults to AWS_ENDPOINT_URL_LAMBDA, else AWS_ENDPOINT_URL, else Lambda's regional endpoint. */
  constructor(options: ServiceEndpointOptions) {
    this.lambda = new SignedPost('lambda', options, 'LambdaInvoker');
  }

  /** The function's answer, parsed as JSON; throws {@link LambdaInvokeError} when Lambda or the function failed. */
  public async invoke(functionName: string, event: unknown, signal?: AbortSignal): Promise<unknown> {
    const response = await this.lambda.post(`/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`, {
      'content-type': 'application/json',
      'x-amz-invocation-type': 'RequestResponse',
    }, JSON.stringify(event), signal);
    const text = await response.text();
    const answer = parseJson(text);
    if (!response.ok) {
      // `x-amzn-ErrorType` is `<Type>:<detail>`; the body carries `Type` (User, Service) and `message`.
      const type = (response.headers.get('x-amzn-errortype') ?? `HTTP ${response.status}`).split(':')[0];
      throw new LambdaInvokeError(type, String(answer?.message ?? answer?.Message ?? text.slice(0, 200)));
    }
    const functionError = response.headers.get('x-amz-function-error');
    if (functionError) {
      throw new LambdaInvokeError(`FunctionError(${functionError})`, String(answer?.errorMessage ?? text.slice(0, 200)));
    }
    if (answer === undefined) {
      throw new LambdaInvokeError('InvalidResponse', 'the function answered with something other than JSON');
    }
    return answer;
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}
