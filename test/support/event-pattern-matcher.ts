import { spawnSync } from 'child_process';
import * as path from 'path';
import { pythonTool } from './python-tools';

const MATCHER = path.join(__dirname, 'event_pattern_matcher.py');

/** An EventBridge event pattern and an event it is asked about. */
export interface PatternQuestion {
  readonly pattern: unknown;
  readonly event: unknown;
}

/**
 * Whether each pattern matches its event, as moto's EventBridge decides (moto.events.models.EventPattern,
 * the engine behind moto's PutRule and PutEvents): one Python process, of the project's .venv, for the whole
 * batch. A pattern EventBridge would refuse throws, as PutRule would.
 */
export function matchEventPatterns(questions: readonly PatternQuestion[]): boolean[] {
  // The project's .venv, with moto at requirements-dev.txt's version; without it, this fails saying how to make it.
  const answer = spawnSync(pythonTool('python3'), [MATCHER], { input: JSON.stringify(questions), encoding: 'utf8', timeout: 60_000 });
  if (answer.status !== 0) {
    throw new Error(`the event pattern matcher failed (status ${answer.status}): ${answer.stderr || answer.error?.message}`);
  }
  const matches = JSON.parse(answer.stdout) as boolean[];
  if (matches.length !== questions.length) {
    throw new Error(`the event pattern matcher answered ${matches.length} of ${questions.length} questions`);
  }
  return matches;
}

/**
 * A synthesized pattern with each `{"Fn::GetAtt": [logicalId, "Arn"]}` replaced by the ARN `arns` gives that
 * resource, as CloudFormation would on deploy; an ARN it does not give throws, naming the resource.
 */
export function resolveArns(pattern: unknown, arns: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(pattern)) {
    return pattern.map((item) => resolveArns(item, arns));
  }
  if (pattern === null || typeof pattern !== 'object') {
    return pattern;
  }
  const getAtt = (pattern as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt) {
    const arn = getAtt[1] === 'Arn' ? arns[getAtt[0]] : undefined;
    if (!arn) {
      throw new Error(`the pattern refers to ${getAtt.join('.')}: give resolveArns an ARN for ${getAtt[0]}`);
    }
    return arn;
  }
  return Object.fromEntries(Object.entries(pattern).map(([key, value]) => [key, resolveArns(value, arns)]));
}

/** A Lambda event source mapping's `FilterCriteria`, as the template holds it: each `Pattern` a JSON string. */
export interface FilterCriteria {
  readonly Filters: ReadonlyArray<{ readonly Pattern: string }>;
}

/**
 * Whether Lambda would pass each record to the function, by the mapping's `FilterCriteria`. Lambda's event
 * filtering (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html) applies each filter's
 * `Pattern` with "the same set of syntax and rules as Amazon EventBridge" to the whole record (for DynamoDB:
 * `eventName` and the `dynamodb` object, images in DynamoDB JSON), and sends a record that satisfies any one
 * of the filters. So each pattern is parsed from its string and asked of moto's EventBridge engine, as
 * `matchEventPatterns` does; no hand-written matcher decides. Under those rules `{"exists": false}` holds
 * when the leaf is absent, including when its parent is (an INSERT has no `OldImage`), and `{"exists": true}`
 * only on a leaf (`{"S": [{"exists": true}]}`), which is why the filters name the attribute's type.
 */
export function matchEventFilters(criteria: FilterCriteria, records: readonly unknown[]): boolean[] {
  const patterns = criteria.Filters.map((filter, index) => {
    if (typeof filter.Pattern !== 'string') {
      throw new Error(`FilterCriteria.Filters[${index}].Pattern is ${typeof filter.Pattern}: Lambda takes it as a JSON string`);
    }
    return JSON.parse(filter.Pattern) as unknown;
  });
  const answers = matchEventPatterns(records.flatMap((event) => patterns.map((pattern) => ({ pattern, event }))));
  return records.map((_, r) => answers.slice(r * patterns.length, (r + 1) * patterns.length).some(Boolean));
}
