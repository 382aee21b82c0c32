/** An IAM policy document, as the template gives it once its intrinsics are resolved. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: PolicyStatement | readonly PolicyStatement[];
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  /** Resource policies only: whom the statement is about. */
  readonly Principal?: PolicyPrincipal;
  readonly NotPrincipal?: PolicyPrincipal;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  /** `{ <operator>: { <condition key>: <value or values> } }` */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, ConditionValue>>>>;
}

export type PolicyPrincipal = '*' | Readonly<Record<string, string | readonly string[]>>;

export type ConditionValue = string | number | boolean | ReadonlyArray<string | number | boolean>;

/** Condition keys and their values for one request: a value, or several for multivalued keys. */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

/** One permission a request needs: AWS authorizes a call as one or more of these, all of which must be allowed. */
export interface Authorization {
  /** `service:Action`, e.g. `dynamodb:PutItem`. */
  readonly action: string;
  /** The resource's ARN, or `*` for actions that take none. */
  readonly resource: string;
  /** Condition keys this request sets beyond the global ones. */
  readonly context?: RequestContext;
}

export function asList<T>(value: T | readonly T[] | undefined): readonly T[] {
  return value === undefined ? [] : Array.isArray(value) ? value as readonly T[] : [value as T];
}
