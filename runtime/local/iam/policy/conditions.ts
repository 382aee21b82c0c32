import { asList, type PolicyStatement, type RequestContext } from './policy-document';
import { matchesWildcard } from './wildcard';

/** A condition operator the gate cannot evaluate: the statement is neither applied nor ignored, the call is refused. */
export class UnknownConditionOperator extends Error {
  constructor(public readonly operator: string) {
    super(`the IAM gate does not know the condition operator ${operator}`);
  }
}

type Match = (requestValue: string, policyValue: string) => boolean;

const number = (value: string) => (value.trim() === '' ? NaN : Number(value));
const date = (value: string) => (/^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value));
const compare = (parse: (value: string) => number, test: (a: number, b: number) => boolean): Match =>
  (a, b) => !Number.isNaN(parse(a)) && !Number.isNaN(parse(b)) && test(parse(a), parse(b));

/**
 * The positive operators (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html);
 * each `…Not…` operator is the negation of one of them. ArnEquals takes wildcards as ArnLike does.
 */
const POSITIVE: Readonly<Record<string, Match>> = {
  StringEquals: (a, b) => a === b,
  StringEqualsIgnoreCase: (a, b) => a.toLowerCase() === b.toLowerCase(),
  StringLike: (a, b) => matchesWildcard(b, a),
  ArnEquals: (a, b) => matchesWildcard(b, a),
  ArnLike: (a, b) => matchesWildcard(b, a),
  Bool: (a, b) => a.toLowerCase() === b.toLowerCase(),
  NumericEquals: compare(number, (a, b) => a === b),
  NumericLessThan: compare(number, (a, b) => a < b),
  NumericLessThanEquals: compare(number, (a, b) => a <= b),
  NumericGreaterThan: compare(number, (a, b) => a > b),
  NumericGreaterThanEquals: compare(number, (a, b) => a >= b),
  DateEquals: compare(date, (a, b) => a === b),
  DateLessThan: compare(date, (a, b) => a < b),
  DateLessThanEquals: compare(date, (a, b) => a <= b),
  DateGreaterThan: compare(date, (a, b) => a > b),
  DateGreaterThanEquals: compare(date, (a, b) => a >= b),
};

const NEGATED: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
};

/** Whether a statement's Condition block holds for the request: every operator, every key in it. */
export function conditionsHold(block: PolicyStatement['Condition'], context: RequestContext): boolean {
  if (!block) {
    return true;
  }
  const values = new Map(Object.entries(context).map(([key, value]) => [key.toLowerCase(), asList(value)]));
  return Object.entries(block).every(([operator, tests]) =>
    Object.entries(tests).every(([key, expected]) =>
      operatorHolds(operator, values.get(key.toLowerCase()), asList(expected).map(String))));
}

function operatorHolds(operator: string, actual: readonly string[] | undefined, expected: readonly string[]): boolean {
  const parsed = /^(ForAnyValue:|ForAllValues:)?([A-Za-z]+?)(IfExists)?$/.exec(operator);
  if (!parsed) {
    throw new UnknownConditionOperator(operator);
  }
  const [, set, base, ifExists] = parsed;
  if (base === 'Null') {
    return expected.some((value) => (value.toLowerCase() === 'true') === (actual === undefined || actual.length === 0));
  }
  const positiveName = NEGATED[base] ?? base;
  const positive = POSITIVE[positiveName];
  if (!positive) {
    throw new UnknownConditionOperator(operator);
  }
  const negated = positiveName !== base;
  const holdsFor = (value: string) => expected.some((policyValue) => positive(value, policyValue)) !== negated;
  if (set === 'ForAllValues:') {
    return (actual ?? []).every(holdsFor);
  }
  if (actual === undefined || actual.length === 0) {
    // An absent key fails a test unless the test is negated (StringNotEquals…) or asks IfExists.
    return ifExists !== undefined || (negated && set === undefined);
  }
  if (set === 'ForAnyValue:') {
    return actual.some(holdsFor);
  }
  return negated ? actual.every(holdsFor) : actual.some(holdsFor);
}
