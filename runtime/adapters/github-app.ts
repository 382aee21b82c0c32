import { createPrivateKey, sign, type KeyObject } from 'crypto';
import { appJwtClaims, jwtSigningInput } from '../core/git/app-jwt';
import { GitCredentialError } from '../core/git/credential-source';
import { accessTokenRequest, githubFailure, githubHeaders, installationIdOf, installationLookup, tokenOf, type GitHubCall, type GitHubRequest } from '../core/git/github-api';
import type { GitHubRepository } from '../core/git/github-repository';

export interface GitHubAppOptions {
  readonly appId: number;
  /** GitHub's REST API, without a trailing slash. */
  readonly apiUrl: string;
  /** Absent: looked up for each repository. */
  readonly installationId?: number;
  /** The app's private key (PEM), asked for on every mint so that a rotated key is used once the cache expires. */
  readonly privateKey: () => Promise<string>;
  /**
   * Each call to GitHub. A warm start may try three workers, each after two calls, within POST /dispatch's 29
   * seconds: GitHub answers in well under a second when it answers at all. @default 3000
   */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/** A GitHub App that mints installation tokens, each for one repository (docs/security.md, "Git credentials"). */
export class GitHubApp {
  constructor(private readonly options: GitHubAppOptions) {}

  /** A token for this repository only, valid for an hour. Throws GitCredentialError. */
  public async installationToken(repository: GitHubRepository): Promise<string> {
    const jwt = this.jwt(await this.options.privateKey());
    const { appId, apiUrl } = this.options;
    const installationId = this.options.installationId
      ?? installationIdOf(await this.call(installationLookup(apiUrl, repository), jwt, 200, { step: 'lookup', appId, repository }));
    return tokenOf(await this.call(accessTokenRequest(apiUrl, installationId, repository), jwt, 201, { step: 'token', appId, repository, installationId }));
  }

  private jwt(pem: string): string {
    const input = jwtSigningInput(appJwtClaims(this.options.appId, (this.options.now ?? (() => new Date()))()));
    return `${input}.${sign('sha256', Buffer.from(input), rsaKey(pem)).toString('base64url')}`;
  }

  private async call(request: GitHubRequest, jwt: string, expected: number, call: GitHubCall): Promise<unknown> {
    let response: Response;
    let body: string;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: githubHeaders(jwt),
        body: request.body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3_000),
      });
      body = await response.text();
    } catch (error) {
      const cause = (error as Error).name === 'TimeoutError' ? 'did not answer in time' : `could not be reached (${(error as Error).message})`;
      throw new GitCredentialError(`GitHub at ${this.options.apiUrl} ${cause}`, true);
    }
    if (response.status !== expected) {
      throw githubFailure(call, response.status, body);
    }
    try {
      return JSON.parse(body);
    } catch {
      throw new GitCredentialError(`GitHub at ${this.options.apiUrl} answered ${response.status} with a body that is not JSON`, false);
    }
  }
}

/** The secret's key, which must be RSA (GitHub's keys are); its parse error is not repeated, lest it quote the key. */
function rsaKey(pem: string): KeyObject {
  let key: KeyObject | undefined;
  try {
    key = createPrivateKey(pem);
  } catch {
    key = undefined;
  }
  if (key?.asymmetricKeyType !== 'rsa') {
    throw new GitCredentialError('the GitHub App secret does not hold an RSA private key in PEM form; put the .pem file GitHub generated in it, as it is', false);
  }
  return key;
}
