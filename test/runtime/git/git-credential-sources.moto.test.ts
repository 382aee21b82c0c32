import { generateKeyPairSync } from 'crypto';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CachedSecret } from '../../../runtime/adapters/cached-secret';
import { gitCredentialSource } from '../../../runtime/adapters/git-credential-sources';
import { GitCredentialError } from '../../../runtime/core/git/credential-source';
import { FakeGitHub } from '../../support/fake-github';
import { MotoServer, startMoto } from '../../support/moto-server';

const APP_ID = 4242;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

/** Secrets read from moto's Secrets Manager, and tokens minted by a fake GitHub. */
describe('git credential sources (moto Secrets Manager + fake GitHub)', () => {
  let moto: MotoServer;
  let github: FakeGitHub;
  let secrets: SecretsManagerClient;
  let reads: jest.SpyInstance;

  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(() => moto.stop());
  beforeEach(async () => {
    await moto.reset();
    github = await FakeGitHub.start({ appId: APP_ID, publicKey, installations: { 'org/repo': 7 } });
    secrets = new SecretsManagerClient({});
    reads = jest.spyOn(secrets, 'send');
  });
  afterEach(() => github.stop());

  async function secret(name: string, value: string): Promise<string> {
    const { ARN } = await new SecretsManagerClient({}).send(new CreateSecretCommand({ Name: name, SecretString: value }));
    return ARN!;
  }

  const appSource = (arn: string) => gitCredentialSource({ secret: arn, hosts: ['github.com'], githubApp: { appId: APP_ID, apiUrl: github.url } }, secrets);

  test('GitHub App: a token for the dispatch\'s repository, from the key in the secret', async () => {
    const credentials = appSource(await secret('outpost/github-app', PEM));
    const credential = await credentials.credentialFor('https://github.com/org/repo.git');
    expect(credential).toEqual({ token: github.minted[0].token });
    expect(github.minted[0]).toMatchObject({ installationId: 7, repositories: ['repo'] });
  });

  test('a second dispatch within the TTL mints its own token without reading the secret again', async () => {
    const credentials = appSource(await secret('outpost/github-app', PEM));
    const first = await credentials.credentialFor('https://github.com/org/repo.git');
    const second = await credentials.credentialFor('https://github.com/org/repo.git');
    expect(first?.token).not.toBe(second?.token);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  test('a repository on another host, over SSH, or a dispatch of another kind needs nothing: nothing is read or minted', async () => {
    const credentials = appSource(await secret('outpost/github-app', PEM));
    expect(await credentials.credentialFor('https://gitlab.com/org/repo.git')).toBeUndefined();
    expect(await credentials.credentialFor('git@github.com:org/repo.git')).toBeUndefined();
    expect(reads).not.toHaveBeenCalled();
    expect(github.requests).toEqual([]);
  });

  test('a GitHub URL that names no repository fails, before anything is read', async () => {
    const credentials = appSource(await secret('outpost/github-app', PEM));
    await expect(credentials.credentialFor('https://github.com/org')).rejects.toMatchObject({ transient: false, reason: expect.stringContaining('https://host/owner/repo(.git)') });
    expect(reads).not.toHaveBeenCalled();
  });

  test('a missing secret: the reason names it, and it is not retried', async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:outpost/missing-AbCdEf';
    const error = await appSource(arn).credentialFor('https://github.com/org/repo.git').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(GitCredentialError);
    expect(error).toMatchObject({ transient: false, reason: expect.stringContaining(`could not read the GitHub App's private key from Secrets Manager (${arn}): ResourceNotFoundException`) });
  });

  test('personal access token: handed as it is, with its user name, to its hosts only', async () => {
    const arn = await secret('outpost/git-token', 'github_pat_example');
    const credentials = gitCredentialSource({ secret: arn, hosts: ['git.example.com:8443'], username: 'outpost-bot' }, secrets);
    expect(await credentials.credentialFor('https://git.example.com:8443/team/app.git')).toEqual({ username: 'outpost-bot', token: 'github_pat_example' });
    expect(await credentials.credentialFor('https://github.com/team/app.git')).toBeUndefined();
    await credentials.credentialFor('https://git.example.com:8443/team/other.git');
    expect(reads).toHaveBeenCalledTimes(1);
  });

  describe('CachedSecret', () => {
    test('reads once per TTL, then picks up a rotated value', async () => {
      const arn = await secret('outpost/rotating', 'first');
      let now = 0;
      const cached = new CachedSecret(secrets, arn, 300_000, () => now);
      expect(await cached.value()).toBe('first');
      await new SecretsManagerClient({}).send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'second' }));
      now = 299_999;
      expect(await cached.value()).toBe('first');
      now = 300_000;
      expect(await cached.value()).toBe('second');
      expect(reads).toHaveBeenCalledTimes(2);
    });

    test('concurrent callers share one read', async () => {
      const cached = new CachedSecret(secrets, await secret('outpost/shared', 'value'));
      expect(await Promise.all([cached.value(), cached.value(), cached.value()])).toEqual(['value', 'value', 'value']);
      expect(reads).toHaveBeenCalledTimes(1);
    });

    test('a failed read is not kept: the next caller reads again', async () => {
      const name = 'outpost/late';
      const cached = new CachedSecret(secrets, name);
      await expect(cached.value()).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      await secret(name, 'now here');
      expect(await cached.value()).toBe('now here');
    });
  });
});
