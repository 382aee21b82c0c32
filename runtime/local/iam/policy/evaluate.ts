import { conditionsHold } from './conditions';
import { asList, type Authorization, type PolicyDocument, type PolicyStatement, type RequestContext } from './policy-document';
import { matchesWildcard } from './wildcard';

export type Decision = 'allowed' | 'explicitly denied' | 'implicitly denied';

/**
 * IAM's evaluation of identity-based policies for one action on one resource
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): a Deny statement
 * that applies wins; otherwise an Allow statement that applies allows; otherwise the request is denied.
 * A statement applies when its action, its resource and every one of its conditions match.
 */
export function evaluatePolicies(policies: readonly PolicyDocument[], request: Authorization, globalContext: RequestContext): Decision {
  const context = { ...globalContext, ...request.context };
  const statements = policies.flatMap((policy) => asList(policy.Statement));
  const applying = (effect: PolicyStatement['Effect']) => statements.some((statement) =>
    statement.Effect === effect && statementApplies(statement, request, context));
  if (applying('Deny')) {
    return 'explicitly denied';
  }
  return applying('Allow') ? 'allowed' : 'implicitly denied';
}

/** Whether a statement's action, resource and conditions all match the request (its Principal aside). */
export function statementApplies(statement: PolicyStatement, request: Authorization, context: RequestContext): boolean {
  const actionMatches = (patterns: readonly string[]) => patterns.some((pattern) => matchesWildcard(pattern, request.action, true));
  const resourceMatches = (patterns: readonly string[]) => patterns.some((pattern) => matchesWildcard(pattern, request.resource));
  const action = statement.NotAction !== undefined ? !actionMatches(asList(statement.NotAction)) : actionMatches(asList(statement.Action));
  const resource = statement.NotResource !== undefined
    ? !resourceMatches(asList(statement.NotResource))
    : resourceMatches(asList(statement.Resource));
  return action && resource && conditionsHold(statement.Condition, context);
}
