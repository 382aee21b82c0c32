/**
 * Which repositories a caller may dispatch to: the `repositories` entry of `OUTPOST_CONFIG`. Patterns name
 * repositories as `host/owner/repo` (GitLab's `host/group/subgroup/repo` too), compared without case, as
 * GitHub and GitLab compare names; `*` stands for any characters within one path segment.
 */
export interface RepositoryPolicy {
  /** The platform's patterns (`allowedRepositories`): absent, any repository. */
  readonly allowed?: readonly string[];
  /** Narrower patterns for some principals (`grantDispatch(grantee, { repositories })`), by IAM role or user ARN. */
  readonly grants?: ReadonlyArray<{ readonly principal: string; readonly patterns: readonly string[] }>;
}

export type RepositoryDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * `host/owner/repo` of `https://host/owner/repo(.git)` or `git@host:owner/repo(.git)`, lower-cased; undefined
 * for a URL that names no repository path.
 */
export function repositoryName(url: string): string | undefined {
  const scp = /^[A-Za-z0-9._-]+@([^:/]+):(.+)$/.exec(url);
  const parsed = !scp && URL.canParse(url) ? new URL(url) : undefined;
  const host = scp ? scp[1] : parsed?.host;
  const path = scp ? scp[2] : parsed?.pathname;
  const segments = path?.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '').split('/') ?? [];
  if (!host || segments.length < 2 || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return undefined;
  }
  return [host, ...segments].join('/').toLowerCase();
}

/** Whether a `host/owner/repo` name matches a pattern: `*` within a segment, the same number of segments. */
export function matchesRepositoryPattern(pattern: string, name: string): boolean {
  const patternSegments = pattern.toLowerCase().split('/');
  const nameSegments = name.split('/');
  return patternSegments.length === nameSegments.length
    && patternSegments.every((segment, index) => segmentPattern(segment).test(nameSegments[index]));
}

function segmentPattern(segment: string): RegExp {
  return new RegExp(`^${segment.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('[^/]*')}$`);
}

/**
 * Whether `callerId` (an IAM principal ARN as API Gateway gives it, or `jwt:…`) may dispatch to
 * `repositoryUrl`: it must match the platform's patterns, and those of the caller's own grants where it has
 * narrowed ones. An assumed role's caller is matched to its grants by account and role name (the ARN API
 * Gateway gives names the session, not the role's path).
 */
export function repositoryDecision(policy: RepositoryPolicy | undefined, callerId: string, repositoryUrl: string): RepositoryDecision {
  const name = repositoryName(repositoryUrl);
  if (!name) {
    return { allowed: false, reason: `${repositoryUrl} names no repository (host/owner/repo)` };
  }
  if (policy?.allowed && !policy.allowed.some((pattern) => matchesRepositoryPattern(pattern, name))) {
    return { allowed: false, reason: `${name} is not among the platform's allowed repositories (${policy.allowed.join(', ')})` };
  }
  const narrowed = (policy?.grants ?? []).filter((grant) => samePrincipal(grant.principal, callerId)).flatMap((grant) => grant.patterns);
  if (narrowed.length > 0 && !narrowed.some((pattern) => matchesRepositoryPattern(pattern, name))) {
    return { allowed: false, reason: `${name} is not among the repositories your grant allows (${narrowed.join(', ')})` };
  }
  return { allowed: true };
}

interface Principal {
  readonly partition: string;
  readonly account: string;
  readonly kind: 'role' | 'user';
  readonly name: string;
}

/** A role or user ARN (`role/path/Name`), or a caller's: a user's, or an assumed role's (`assumed-role/Name/session`). */
function principalOf(arn: string): Principal | undefined {
  const named = /^arn:([^:]+):iam::(\d{12}):(role|user)\/(?:[^]*\/)?([^/]+)$/.exec(arn);
  if (named) {
    return { partition: named[1], account: named[2], kind: named[3] as Principal['kind'], name: named[4] };
  }
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return session ? { partition: session[1], account: session[2], kind: 'role', name: session[3] } : undefined;
}

/** Whether a caller is the grant's principal: the same IAM user, or a session of the same role. */
function samePrincipal(principalArn: string, callerId: string): boolean {
  const [granted, caller] = [principalOf(principalArn), principalOf(callerId)];
  return granted !== undefined && caller !== undefined
    && (Object.keys(granted) as Array<keyof Principal>).every((key) => granted[key] === caller[key]);
}
