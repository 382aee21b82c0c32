import type { Authorization } from '../policy/policy-document';
import type { Upstream } from '../upstream';

/** The request's protocol, which decides the shape of the gate's own answers (errors, denials). */
export type Protocol = 'json-1.0' | 'json-1.1' | 'query' | 'rest-json' | 'rest-xml';

/** What a request asks, as IAM sees it. */
export interface GateOperation {
  /** `service:Operation`, for messages: `dynamodb:TransactWriteItems`. */
  readonly name: string;
  readonly protocol: Protocol;
  /** Every permission the call needs; all must be allowed. */
  readonly authorizations: readonly Authorization[];
  /** Forwarded to moto, unless the gate answers itself. */
  readonly answer: 'forward' | 'caller-identity' | { readonly invoke: LambdaInvocation };
}

export interface LambdaInvocation {
  /** The function's name, out of the name or ARN the caller gave. */
  readonly functionName: string;
  readonly invocationType: 'RequestResponse' | 'Event' | 'DryRun';
}

/** Where the ARNs of a request's resources are: the gate's Region and account, and moto for what a request only names. */
export interface ArnContext {
  readonly region: string;
  readonly account: string;
  readonly upstream: Upstream;
}

/** A call the gate cannot map to IAM actions and resources: refused, never let through unchecked. */
export class UnknownOperation extends Error {
  constructor(public readonly protocol: Protocol, description: string) {
    super(`the IAM gate does not know the operation ${description}, so it cannot authorize it (add it to runtime/local/iam/operations)`);
  }
}

/** The request's input of a JSON protocol, parsed; an empty object when there is none. */
export function jsonInput(body: Buffer): Record<string, any> {
  if (body.length === 0) {
    return {};
  }
  const value: unknown = JSON.parse(body.toString('utf8'));
  return typeof value === 'object' && value !== null ? value as Record<string, any> : {};
}

/** `arn:aws:<service>:<region>:<account>:<resource>` unless `nameOrArn` is an ARN already. */
export function arnOf(context: ArnContext, service: string, prefix: string, nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:${service}:${context.region}:${context.account}:${prefix}${nameOrArn}`;
}
