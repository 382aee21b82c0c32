import { statementApplies } from './evaluate';
import { asList, type Authorization, type PolicyDocument, type PolicyPrincipal, type RequestContext } from './policy-document';

/** The caller as a resource policy's Principal names it: its role, its session, its account. */
export interface CallerIdentity {
  readonly roleArn: string;
  readonly callerArn: string;
  readonly account: string;
}

/** What a resource policy says about one request of one caller. */
export interface ResourcePolicyVerdict {
  /** A Deny statement applies to the caller (named, or through its account, or `*`). */
  readonly denies: boolean;
  /** An Allow statement names the caller itself (its role or session) or everyone (`*`). */
  readonly allowsCaller: boolean;
  /** An Allow statement names the caller's account (`arn:aws:iam::<account>:root`): the account's IAM policies decide. */
  readonly delegatesToAccount: boolean;
}

/**
 * A resource-based policy (a KMS key policy, a bucket policy) for one request
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html, same-account requests).
 */
export function evaluateResourcePolicy(
  policy: PolicyDocument, request: Authorization, context: RequestContext, caller: CallerIdentity,
): ResourcePolicyVerdict {
  let denies = false;
  let allowsCaller = false;
  let delegatesToAccount = false;
  for (const statement of asList(policy.Statement)) {
    const named = statement.NotPrincipal !== undefined ? notNamed(statement.NotPrincipal, caller) : whomItNames(statement.Principal, caller);
    if (named === 'nobody' || !statementApplies(statement, request, context)) {
      continue;
    }
    if (statement.Effect === 'Deny') {
      denies = true;
    } else if (named === 'caller') {
      allowsCaller = true;
    } else {
      delegatesToAccount = true;
    }
  }
  return { denies, allowsCaller, delegatesToAccount };
}

type Named = 'caller' | 'account' | 'nobody';

function whomItNames(principal: PolicyPrincipal | undefined, caller: CallerIdentity): Named {
  if (principal === '*') {
    return 'caller';
  }
  const names = asList(principal?.AWS);
  if (names.some((name) => name === '*' || name === caller.roleArn || name === caller.callerArn)) {
    return 'caller';
  }
  return names.some((name) => name === caller.account || name === `arn:aws:iam::${caller.account}:root`) ? 'account' : 'nobody';
}

function notNamed(principal: PolicyPrincipal, caller: CallerIdentity): Named {
  return whomItNames(principal, caller) === 'nobody' ? 'caller' : 'nobody';
}
