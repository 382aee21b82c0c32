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
    // The descriptors, not a spread: a spread would call lifecycleDeps' lazy getters, and fail on an adapter
    // the handler does not bundle (worker-credentials starts no task, so it has no launcher).
    pushing = settings ? Object.defineProperties({} as LifecycleDeps, {
      ...Object.getOwnPropertyDescriptors(deps),
      gitCredentials: { value: gitCredentialSource(settings, new SecretsManagerClient({})), enumerable: true },
    }) : deps;
  }
  return pushing;
}
