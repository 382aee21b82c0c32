import { generateKeyPairSync } from 'crypto';
import { GitHubApp } from '../../../runtime/adapters/github-app';
import { GitCredentialError } from '../../../runtime/core/git/credential-source';
import { FakeGitHub } from '../../support/fake-github';

const APP_ID = 123456;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const REPOSITORY = { owner: 'org', name: 'repo' };

describe('GitHubApp against a fake GitHub that verifies its JWTs', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await FakeGitHub.start({ appId: APP_ID, publicKey, installations: { 'org/repo': 42, 'org/other': 42 } });
  });
  afterEach(() => github.stop());

  const app = (overrides: Partial<ConstructorParameters<typeof GitHubApp>[0]> = {}) =>
    new GitHubApp({ appId: APP_ID, apiUrl: github.url, privateKey: async () => PEM, ...overrides });

  /** The error an expected failure throws. */
  async function failure(minting: Promise<unknown>): Promise<GitCredentialError> {
    const error = await minting.then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(GitCredentialError);
    return error as GitCredentialError;
  }

  test('looks up the installation of the repository, then mints a token for that repository alone', async () => {
    const token = await app().installationToken(REPOSITORY);
    expect(github.minted).toEqual([{ installationId: 42, repositories: ['repo'], permissions: { contents: 'write', metadata: 'read' }, token }]);
    expect(github.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /repos/org/repo/installation', 'POST /app/installations/42/access_tokens']);
    expect(github.requests.every((request) => request.userAgent === 'outpost-control-plane' && request.apiVersion === '2022-11-28')).toBe(true);
  });

  test('with an installation id, asks for the token at once', async () => {
    await app({ installationId: 42 }).installationToken(REPOSITORY);
    expect(github.requests.map((request) => request.path)).toEqual(['/app/installations/42/access_tokens']);
  });

  test('each call mints a new token: one per dispatch', async () => {
    const minter = app();
    const first = await minter.installationToken(REPOSITORY);
    const second = await minter.installationToken(REPOSITORY);
    expect(first).not.toBe(second);
  });

  test('the app not installed on the repository: a reason naming it, not retried', async () => {
    const error = await failure(app().installationToken({ owner: 'elsewhere', name: 'private' }));
    expect(error).toMatchObject({ transient: false, reason: expect.stringContaining('the GitHub App 123456 is not installed on elsewhere/private') });
    expect(github.minted).toEqual([]);
  });

  test('another app\'s key: 401, and the reason points at appId and the key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const error = await failure(app({ privateKey: async () => other }).installationToken(REPOSITORY));
    expect(error).toMatchObject({ transient: false, reason: expect.stringMatching(/^GitHub answered 401 .*check that appId 123456 is the app whose private key is in the secret$/) });
  });

  test('a wrong app id: 401 as well', async () => {
    const error = await failure(app({ appId: 999 }).installationToken(REPOSITORY));
    expect(error.reason).toContain('check that appId 999');
  });

  test('a wrong installation id: 404 naming it', async () => {
    const error = await failure(app({ installationId: 7 }).installationToken(REPOSITORY));
    expect(error.reason).toContain('installation 7 of the GitHub App 123456 does not exist');
  });

  test('GitHub\'s server errors are transient', async () => {
    github.overrides.push({ path: /access_tokens$/, status: 503, body: { message: 'Service Unavailable' } });
    expect(await failure(app().installationToken(REPOSITORY))).toMatchObject({ transient: true, reason: 'GitHub answered 503 (Service Unavailable) for org/repo' });
  });

  test('a GitHub that does not answer in time is transient', async () => {
    github.overrides.push({ path: /installation$/, status: 0, hang: true });
    const error = await failure(app({ timeoutMs: 200 }).installationToken(REPOSITORY));
    expect(error).toMatchObject({ transient: true, reason: `GitHub at ${github.url} did not answer in time` });
  });

  test('a GitHub that cannot be reached is transient', async () => {
    const error = await failure(app({ apiUrl: 'http://127.0.0.1:9' }).installationToken(REPOSITORY));
    expect(error).toMatchObject({ transient: true, reason: expect.stringContaining('GitHub at http://127.0.0.1:9 could not be reached') });
  });

  test('a secret that is not an RSA key in PEM: says so, without quoting it', async () => {
    const error = await failure(app({ privateKey: async () => 'ghp_not-a-key' }).installationToken(REPOSITORY));
    expect(error).toMatchObject({ transient: false, reason: expect.stringContaining('does not hold an RSA private key in PEM form') });
    expect(error.reason).not.toContain('ghp_not-a-key');
    expect(github.requests).toEqual([]);
  });
});
