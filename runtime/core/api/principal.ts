/** An IAM role or user, as an ARN names it. */
export interface Principal {
  readonly partition: string;
  readonly account: string;
  readonly kind: 'role' | 'user';
  readonly name: string;
}

/**
 * The role or user of an ARN: a role's or user's own (`role/path/Name`, `user/path/Name`), or a caller's as
 * API Gateway gives it, an assumed role's session (`sts::…:assumed-role/Name/session`, no path).
 */
export function principalOf(arn: string): Principal | undefined {
  const named = /^arn:([^:]+):iam::(\d{12}):(role|user)\/(?:[^]*\/)?([^/]+)$/.exec(arn);
  if (named) {
    return { partition: named[1], account: named[2], kind: named[3] as Principal['kind'], name: named[4] };
  }
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return session ? { partition: session[1], account: session[2], kind: 'role', name: session[3] } : undefined;
}

/** Whether two ARNs name the same role or user: a session of a role is that role. */
export function samePrincipal(first: string, second: string): boolean {
  const [a, b] = [principalOf(first), principalOf(second)];
  return a !== undefined && b !== undefined && (Object.keys(a) as Array<keyof Principal>).every((key) => a[key] === b[key]);
}
