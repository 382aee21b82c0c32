import type { Session } from './gate-credentials';
import { UnknownConditionOperator } from './policy/conditions';
import { evaluatePolicies } from './policy/evaluate';
import type { Authorization, PolicyDocument, RequestContext } from './policy/policy-document';
import { evaluateResourcePolicy } from './policy/resource-policy';

/** A request the gate refused on the policies' word: who, what, on what, and AWS's message for it. */
export interface Denial {
  readonly time: string;
  readonly caller: string;
  readonly action: string;
  readonly resource: string;
  readonly message: string;
}

/**
 * The first of a request's authorizations that its caller's policies do not allow, as a denial with AWS's
 * message (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html); undefined when all are allowed.
 * `resourcePolicies` are by resource ARN (a bucket's covers its objects). A KMS key with a key policy is used only
 * as that policy allows: by naming the caller, or by naming its account, which hands the decision to IAM policies.
 */
export function firstDenial(
  session: Session, authorizations: readonly Authorization[], resourcePolicies: ReadonlyMap<string, PolicyDocument>, region: string, now: Date,
): Denial | undefined {
  const globalContext = globalContextOf(session, region, now);
  const caller = { roleArn: session.principal.arn, callerArn: session.callerArn, account: session.principal.arn.split(':')[4] };
  for (const authorization of authorizations) {
    const denial = (message: string): Denial => ({
      time: now.toISOString(),
      caller: session.callerArn,
      action: authorization.action,
      resource: authorization.resource,
      message: `User: ${session.callerArn} is not authorized to perform: ${authorization.action} on resource: ${authorization.resource} ${message}`,
    });
    try {
      const identity = evaluatePolicies(session.principal.policies, authorization, globalContext);
      if (identity === 'explicitly denied') {
        return denial('with an explicit deny in an identity-based policy');
      }
      const policy = resourcePolicyOf(resourcePolicies, authorization.resource);
      const verdict = policy && evaluateResourcePolicy(policy, authorization, { ...globalContext, ...authorization.context }, caller);
      if (verdict?.denies) {
        return denial('with an explicit deny in a resource-based policy');
      }
      const keyPolicy = verdict !== undefined && authorization.resource.split(':')[2] === 'kms';
      if (keyPolicy && !verdict.allowsCaller && !(verdict.delegatesToAccount && identity === 'allowed')) {
        return denial(`because no ${identity === 'allowed' ? 'resource-based' : 'identity-based'} policy allows the ${authorization.action} action`);
      }
      if (!keyPolicy && identity !== 'allowed' && !verdict?.allowsCaller) {
        return denial(`because no identity-based policy allows the ${authorization.action} action`);
      }
    } catch (error) {
      if (error instanceof UnknownConditionOperator) {
        return denial(`because ${error.message}`);
      }
      throw error;
    }
  }
  return undefined;
}

function resourcePolicyOf(policies: ReadonlyMap<string, PolicyDocument>, resource: string): PolicyDocument | undefined {
  const bucket = /^(arn:[^:]+:s3:::[^/]+)\//.exec(resource)?.[1];
  return policies.get(resource) ?? (bucket === undefined ? undefined : policies.get(bucket));
}

/** The global condition keys AWS sets on every request of a role session. */
function globalContextOf(session: Session, region: string, now: Date): RequestContext {
  const account = session.principal.arn.split(':')[4];
  return {
    'aws:PrincipalArn': session.principal.arn,
    'aws:PrincipalAccount': account,
    'aws:PrincipalType': 'AssumedRole',
    'aws:userid': session.userId,
    'aws:RequestedRegion': region,
    'aws:CurrentTime': now.toISOString(),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    // The gate stands where AWS's HTTPS endpoints stand: the runtime's clients reach AWS over TLS.
    'aws:SecureTransport': 'true',
  };
}
