import type { GitCredential } from '../handoff/assignment';

/** Where the control plane gets the git credential for a dispatch's repository. */
export interface GitCredentialSource {
  /**
   * The credential for a repository, or undefined when it needs none (another host, not https). Throws
   * {@link GitCredentialError} when it needs one that cannot be had: the dispatch must not run without it.
   */
  credentialFor(repositoryUrl: string): Promise<GitCredential | undefined>;
}

/** Why a repository that needs a credential cannot have one; never holds a token or a key. */
export class GitCredentialError extends Error {
  /**
   * @param reason what went wrong and what to change, in words a dispatch's error can carry
   * @param transient true when the same request may succeed shortly (a timeout, GitHub's 5xx or rate limit)
   */
  constructor(readonly reason: string, readonly transient: boolean) {
    super(reason);
    this.name = 'GitCredentialError';
  }
}
