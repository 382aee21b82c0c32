import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { gitCredentialSource } from '../adapters/git-credential-sources';
import type { LifecycleDeps } from '../services/lifecycle-deps';

let pushing: LifecycleDeps | undefined;

/**
 * The lifecycle dependencies of a handler that pushes assignments (dispatch-create, task-ready), with the git
 * credentials the configuration names. Kept apart from lifecycleDeps so that only these two handlers bundle
 * the Secrets Manager client; created once per execution environment, so the secret's cache lives as long.
 */
export function withGitCredentials(deps: LifecycleDeps): LifecycleDeps {
  if (!pushing) {
    const settings = deps.config.gitCredentials;
    pushing = settings ? { ...deps, gitCredentials: gitCredentialSource(settings, new SecretsManagerClient({})) } : deps;
  }
  return pushing;
}
