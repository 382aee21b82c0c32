import { GitCredentialError } from './credential-source';
import { fullName, type GitHubRepository } from './github-repository';

/**
 * What the worker does with the token: clone, fetch and push a branch. `contents: write` covers all three;
 * `metadata: read` is what every installation has anyway. Nothing else (no pull requests, no workflows).
 */
export const TOKEN_PERMISSIONS = { contents: 'write', metadata: 'read' } as const;

/** A request to GitHub's REST API, authenticated as the app by its JWT. */
export interface GitHubRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: string;
}

export function githubHeaders(jwt: string): Record<string, string> {
  return {
    'accept': 'application/vnd.github+json',
    'authorization': `Bearer ${jwt}`,
    'x-github-api-version': '2022-11-28',
    // GitHub refuses API requests without a User-Agent.
    'user-agent': 'outpost-control-plane',
    'content-type': 'application/json',
  };
}

/** The installation of the app on a repository's owner that can see the repository. */
export function installationLookup(apiUrl: string, repository: GitHubRepository): GitHubRequest {
  return { method: 'GET', url: `${apiUrl}/repos/${fullName(repository)}/installation` };
}

/** An installation token for this one repository, with {@link TOKEN_PERMISSIONS} only. */
export function accessTokenRequest(apiUrl: string, installationId: number, repository: GitHubRepository): GitHubRequest {
  return {
    method: 'POST',
    url: `${apiUrl}/app/installations/${installationId}/access_tokens`,
    body: JSON.stringify({ repositories: [repository.name], permissions: TOKEN_PERMISSIONS }),
  };
}

/** The installation id of a 200 answer to {@link installationLookup}. */
export function installationIdOf(body: unknown): number {
  const id = (body as { id?: unknown } | null)?.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw new GitCredentialError('GitHub answered the installation lookup without an installation id', false);
  }
  return id;
}

/** The token of a 201 answer to {@link accessTokenRequest}. */
export function tokenOf(body: unknown): string {
  const token = (body as { token?: unknown } | null)?.token;
  if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
    throw new GitCredentialError('GitHub answered the token request without a token', false);
  }
  return token;
}

/** What the app was doing when GitHub said no, for the reason the dispatch fails with. */
export interface GitHubCall {
  readonly step: 'lookup' | 'token';
  readonly appId: number;
  readonly repository: GitHubRepository;
  readonly installationId?: number;
}

/** GitHub's refusal in words that say what to change; transient for its rate limits and server errors. */
export function githubFailure(call: GitHubCall, status: number, body: string): GitCredentialError {
  const said = `GitHub answered ${status}${messageOf(body)}`;
  const repository = fullName(call.repository);
  if (status === 401) {
    return new GitCredentialError(`${said}: the app's JWT was refused; check that appId ${call.appId} is the app whose private key is in the secret`, false);
  }
  if (status === 404 && call.step === 'lookup') {
    return new GitCredentialError(`${said}: the GitHub App ${call.appId} is not installed on ${repository}; install it there (or on ${call.repository.owner}) with access to that repository`, false);
  }
  if (status === 404) {
    return new GitCredentialError(`${said}: installation ${call.installationId} of the GitHub App ${call.appId} does not exist; correct installationId, or leave it out to look it up per repository`, false);
  }
  if (status === 422) {
    return new GitCredentialError(`${said}: the installation cannot give a token for ${repository} with contents: write; give the app "Contents: read and write" and access to ${repository}`, false);
  }
  const transient = status === 429 || status >= 500 || (status === 403 && /rate limit/i.test(body));
  return new GitCredentialError(`${said} for ${repository}`, transient);
}

/** GitHub's own message, short and on one line: errors carry it to the dispatch. */
function messageOf(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown } | null)?.message;
    return typeof message === 'string' && message.length > 0 ? ` (${message.replace(/\s+/g, ' ').slice(0, 200)})` : '';
  } catch {
    return '';
  }
}
