import type { LifecycleDeps } from './lifecycle-deps';
import type { Dispatch } from '../core/dispatch/dispatch';
import { GitCredentialError } from '../core/git/credential-source';
import { repositoryDecision } from '../core/git/repository-allow-list';
import type { GitCredential } from '../core/handoff/assignment';
import type { PushOutcome } from '../core/handoff/push-outcome';

/** The credential a push goes ahead with (none when the repository needs none), or the outcome that stops it. */
export type RepositoryCredential = { readonly credential?: GitCredential } | { readonly outcome: PushOutcome };

/**
 * The credential the dispatch's repository needs (none for a dispatch without a repository, or one on another
 * host). When it needs one that cannot be had, the push stops: the worker must not start a run that cannot
 * clone or push. A transient failure is tried again like a busy worker; any other fails the dispatch with the
 * reason.
 */
export async function repositoryCredential(deps: LifecycleDeps, dispatch: Dispatch): Promise<RepositoryCredential> {
  if (!dispatch.repository || !deps.gitCredentials) {
    return {};
  }
  // POST /dispatch refused it already; checked again here, before a token exists, should the policy have
  // narrowed since (a redeploy) while the dispatch waited.
  const decision = repositoryDecision(deps.config.repositories, dispatch.requester, dispatch.repository.url);
  if (!decision.allowed) {
    return { outcome: { kind: 'fail', reason: `no git credential for ${dispatch.repository.url}: ${decision.reason}` } };
  }
  try {
    return { credential: await deps.gitCredentials.credentialFor(dispatch.repository.url) };
  } catch (error) {
    if (!(error instanceof GitCredentialError)) {
      throw error;
    }
    const reason = `no git credential for ${dispatch.repository.url}: ${error.reason}`;
    return { outcome: error.transient ? { kind: 'retry', reason } : { kind: 'fail', reason } };
  }
}
