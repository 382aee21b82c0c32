import { arnOf, UnknownOperation, type ArnContext, type LambdaInvocation } from './operation';
import type { Authorization } from '../policy/policy-document';

const INVOCATIONS = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const INVOCATION_TYPES = new Set(['RequestResponse', 'Event', 'DryRun']);

/**
 * AWS Lambda's Invoke (REST JSON, `POST /2015-03-31/functions/{FunctionName}/invocations`,
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html): `lambda:InvokeFunction` on the function's
 * ARN. The name may be a name, a partial ARN (`<account>:function:<name>`) or an ARN, with or without a qualifier.
 */
export function lambdaInvocation(method: string, path: string, invocationType: string | undefined, context: ArnContext):
{ authorizations: Authorization[]; invocation: LambdaInvocation } {
  const match = INVOCATIONS.exec(path);
  if (method !== 'POST' || !match) {
    throw new UnknownOperation('rest-json', `lambda ${method} ${path}`);
  }
  const given = decodeURIComponent(match[1]);
  const parts = given.split(':');
  const at = parts.indexOf('function');
  const functionName = at >= 0 ? parts[at + 1] : parts[0];
  const qualifier = at >= 0 ? parts[at + 2] : parts[1];
  const type = invocationType ?? 'RequestResponse';
  if (!INVOCATION_TYPES.has(type)) {
    throw new UnknownOperation('rest-json', `lambda:Invoke with X-Amz-Invocation-Type ${type}`);
  }
  const resource = `${arnOf(context, 'lambda', 'function:', functionName)}${qualifier ? `:${qualifier}` : ''}`;
  return {
    authorizations: [{ action: 'lambda:InvokeFunction', resource }],
    invocation: { functionName, invocationType: type as LambdaInvocation['invocationType'] },
  };
}
