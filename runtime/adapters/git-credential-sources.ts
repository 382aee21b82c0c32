import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CachedSecret } from './cached-secret';
import { GitHubApp } from './github-app';
import type { GitCredentialsSettings } from '../core/config';
import { GitCredentialError, type GitCredentialSource } from '../core/git/credential-source';
import { parseGitHubRepository } from '../core/git/github-repository';
import { credentialHost } from '../core/git/repository-host';

/** Secrets Manager's answers that no retry changes: the secret, its key or the role's permission is at fault. */
const PERMANENT_SECRET_ERRORS = new Set(['ResourceNotFoundException', 'AccessDeniedException', 'DecryptionFailure', 'InvalidRequestException', 'InvalidParameterException', 'EmptySecret']);

/** The source the platform's configuration names (`OUTPOST_CONFIG.gitCredentials`). */
export function gitCredentialSource(settings: GitCredentialsSettings, secrets: SecretsManagerClient): GitCredentialSource {
  const secret = new CachedSecret(secrets, settings.secret);
  if (!settings.githubApp) {
    return {
      async credentialFor(url) {
        return credentialHost(url, settings.hosts) ? { username: settings.username, token: await readSecret(secret, 'the git token') } : undefined;
      },
    };
  }
  const app = new GitHubApp({ ...settings.githubApp, privateKey: () => readSecret(secret, 'the GitHub App\'s private key') });
  return {
    async credentialFor(url) {
      if (!credentialHost(url, settings.hosts)) {
        return undefined;
      }
      const repository = parseGitHubRepository(url);
      if (!repository) {
        throw new GitCredentialError('a GitHub App token needs a repository URL of the form https://host/owner/repo(.git)', false);
      }
      return { token: await app.installationToken(repository) };
    },
  };
}

/** The secret's value, or a GitCredentialError naming the secret and what Secrets Manager said. */
async function readSecret(secret: CachedSecret, what: string): Promise<string> {
  try {
    return await secret.value();
  } catch (error) {
    const name = (error as Error).name;
    throw new GitCredentialError(`could not read ${what} from Secrets Manager (${secret.secretId}): ${name}: ${(error as Error).message}`, !PERMANENT_SECRET_ERRORS.has(name));
  }
}
