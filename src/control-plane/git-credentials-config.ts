/**
 * How the control plane gets a git credential for a dispatch's repository: the `gitCredentials` entry of
 * `OUTPOST_CONFIG`, parsed by runtime/core/config.ts. Secrets are named here, never held.
 */
export interface GitCredentialsConfig {
  /** The secret: the GitHub App's private key (PEM) with `githubApp`, else the token itself. */
  readonly secret: string;
  /** The hosts whose https repositories get a credential. */
  readonly hosts: string[];
  /** The user name git sends with a token. */
  readonly username?: string;
  /** Mint an installation token per dispatch as this app. */
  readonly githubApp?: {
    readonly appId: number;
    /** Absent: looked up per repository (`GET /repos/{owner}/{repo}/installation`). */
    readonly installationId?: number;
    /** GitHub's REST API, without a trailing slash. */
    readonly apiUrl: string;
  };
}
