import { appJwtClaims, jwtSigningInput } from '../../../runtime/core/git/app-jwt';
import { accessTokenRequest, githubFailure, installationIdOf, installationLookup, TOKEN_PERMISSIONS, tokenOf, type GitHubCall } from '../../../runtime/core/git/github-api';
import { parseGitHubRepository } from '../../../runtime/core/git/github-repository';
import { credentialHost } from '../../../runtime/core/git/repository-host';

describe('credentialHost: which repositories get a credential', () => {
  test.each([
    ['https://github.com/org/repo.git', ['github.com'], 'github.com'],
    ['https://GitHub.com/org/repo', ['github.com'], 'github.com'],
    ['https://github.com:443/org/repo.git', ['github.com'], 'github.com'],
    ['https://git.example.com:8443/org/repo.git', ['git.example.com:8443'], 'git.example.com:8443'],
    ['https://git.example.com/org/repo.git', ['git.example.com:8443'], undefined],
    ['https://gitlab.com/org/repo.git', ['github.com'], undefined],
    ['https://github.com.evil.example/org/repo.git', ['github.com'], undefined],
    ['http://github.com/org/repo.git', ['github.com'], undefined],
    ['git@github.com:org/repo.git', ['github.com'], undefined],
    ['not a url', ['github.com'], undefined],
  ])('%s with hosts %j → %s', (url, hosts, expected) => {
    expect(credentialHost(url, hosts)).toBe(expected);
  });
});

describe('parseGitHubRepository', () => {
  test.each([
    ['https://github.com/org/repo.git', { owner: 'org', name: 'repo' }],
    ['https://github.com/org/repo', { owner: 'org', name: 'repo' }],
    ['https://github.com/org/repo/', { owner: 'org', name: 'repo' }],
    ['https://ghe.example.com/my-org/my.repo_2.git', { owner: 'my-org', name: 'my.repo_2' }],
  ])('%s → %j', (url, expected) => {
    expect(parseGitHubRepository(url)).toEqual(expected);
  });

  test.each([
    'https://github.com/org',
    'https://github.com/org/repo/tree/main',
    'https://github.com/org/..',
    'https://github.com/org/%2e%2e',
    'https://github.com/org/repo?ref=x',
    'https://github.com/org/repo#main',
    'https://github.com/org/re%20po',
  ])('%s → undefined: nothing but owner/repo reaches an API path', (url) => {
    expect(parseGitHubRepository(url)).toBeUndefined();
  });
});

describe('the app JWT', () => {
  const now = new Date('2026-05-01T12:00:00Z');
  const seconds = now.getTime() / 1000;

  test('claims: issued a minute back, expiring within GitHub\'s 10 minutes, issued by the app', () => {
    const claims = appJwtClaims(123456, now);
    expect(claims).toEqual({ iat: seconds - 60, exp: seconds + 540, iss: '123456' });
    expect(claims.exp - seconds).toBeLessThanOrEqual(600);
  });

  test('the signing input is the RS256 header and the claims, base64url', () => {
    const [header, claims] = jwtSigningInput(appJwtClaims(7, now)).split('.').map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(claims).toEqual({ iat: seconds - 60, exp: seconds + 540, iss: '7' });
  });
});

describe('GitHub requests and answers', () => {
  const repository = { owner: 'org', name: 'repo' };

  test('the token request names the one repository and the least the worker needs', () => {
    expect(accessTokenRequest('https://api.github.com', 42, repository)).toEqual({
      method: 'POST',
      url: 'https://api.github.com/app/installations/42/access_tokens',
      body: JSON.stringify({ repositories: ['repo'], permissions: { contents: 'write', metadata: 'read' } }),
    });
    expect(TOKEN_PERMISSIONS).toEqual({ contents: 'write', metadata: 'read' });
  });

  test('the installation lookup, under a GitHub Enterprise Server API prefix', () => {
    expect(installationLookup('https://ghe.example.com/api/v3', repository)).toEqual({ method: 'GET', url: 'https://ghe.example.com/api/v3/repos/org/repo/installation' });
  });

  test('answers without what was asked for are errors, not undefined', () => {
    expect(installationIdOf({ id: 42 })).toBe(42);
    expect(() => installationIdOf({ id: '42' })).toThrow('without an installation id');
    expect(tokenOf({ token: 'ghs_abc' })).toBe('ghs_abc');
    expect(() => tokenOf({ token: 'ghs_a\nb' })).toThrow('without a token');
    expect(() => tokenOf(null)).toThrow('without a token');
  });

  const lookup: GitHubCall = { step: 'lookup', appId: 123, repository };
  const token: GitHubCall = { step: 'token', appId: 123, repository, installationId: 42 };

  test.each([
    ['lookup', lookup, 401, '{"message":"A JSON web token could not be decoded"}', 'GitHub answered 401 (A JSON web token could not be decoded): the app\'s JWT was refused; check that appId 123 is the app whose private key is in the secret', false],
    ['lookup', lookup, 404, '{"message":"Not Found"}', 'GitHub answered 404 (Not Found): the GitHub App 123 is not installed on org/repo; install it there (or on org) with access to that repository', false],
    ['token', token, 404, '{"message":"Not Found"}', 'GitHub answered 404 (Not Found): installation 42 of the GitHub App 123 does not exist; correct installationId, or leave it out to look it up per repository', false],
    ['token', token, 422, '{"message":"not accessible"}', 'GitHub answered 422 (not accessible): the installation cannot give a token for org/repo with contents: write; give the app "Contents: read and write" and access to org/repo', false],
    ['token', token, 502, '<html>bad gateway</html>', 'GitHub answered 502 for org/repo', true],
    ['token', token, 429, '', 'GitHub answered 429 for org/repo', true],
    ['token', token, 403, '{"message":"You have exceeded a secondary rate limit"}', 'GitHub answered 403 (You have exceeded a secondary rate limit) for org/repo', true],
    ['token', token, 403, '{"message":"Resource not accessible by integration"}', 'GitHub answered 403 (Resource not accessible by integration) for org/repo', false],
  ])('%s answered %d → the reason says what to change', (_step, call, status, body, reason, transient) => {
    expect(githubFailure(call, status, body)).toMatchObject({ reason, transient });
  });
});
