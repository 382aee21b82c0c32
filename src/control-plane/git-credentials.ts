import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { GitCredentialsConfig } from './git-credentials-config';
import { grantSecretRead, secretId } from '../core/secret-grants';
import { requireProp } from '../core/validation';

/** Options for {@link GitCredentials.githubApp}. */
export interface GitHubAppCredentialsOptions {
  /** The GitHub App's ID (its settings page, "App ID"). */
  readonly appId: number;
  /**
   * The secret holding the app's private key: the `.pem` file GitHub generated, as the plain secret string.
   * Import it with `Secret.fromSecretCompleteArn` for a grant on exactly that secret.
   */
  readonly privateKey: secretsmanager.ISecret;
  /**
   * The installation to mint tokens from.
   * @default - looked up for each dispatch from its repository (`GET /repos/{owner}/{repo}/installation`)
   */
  readonly installationId?: number;
  /**
   * GitHub's REST API: `https://<host>/api/v3` for GitHub Enterprise Server.
   * @default 'https://api.github.com'
   */
  readonly apiUrl?: string;
  /**
   * The hosts (`host` or `host:port`) whose https repositories get a token; repositories elsewhere get none.
   * @default - the `apiUrl`'s host without a leading `api.`: `['github.com']` for the default `apiUrl`
   */
  readonly hosts?: string[];
}

/** Options for {@link GitCredentials.personalAccessToken}. */
export interface PersonalAccessTokenOptions {
  /** The secret holding the token as its plain secret string. */
  readonly secret: secretsmanager.ISecret;
  /** The user name git sends with the token. @default 'x-access-token' */
  readonly username?: string;
  /** The hosts (`host` or `host:port`) whose https repositories get the token. @default ['github.com'] */
  readonly hosts?: string[];
}

const GITHUB_API = 'https://api.github.com';
/** A host name (RFC 1123 labels) with an optional port. */
const HOST = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?$/;
const USERNAME = /^[^\s\u0000-\u001f\u007f]+$/;

/**
 * How the control plane gets a git credential for a dispatch's private repository. It reads the secret
 * when it hands a dispatch to a worker and puts the credential in that worker's assignment only; agent tasks
 * never hold the secret or any permission to read it.
 *
 * @example
 * GitCredentials.githubApp({ appId: 123456, privateKey: Secret.fromSecretCompleteArn(this, 'AppKey', keyArn) })
 */
export abstract class GitCredentials {
  /**
   * A GitHub App: for each dispatch the control plane mints an installation token (valid for one hour)
   * limited to the dispatch's repository, with `contents: write` and `metadata: read` only.
   */
  public static githubApp(options: GitHubAppCredentialsOptions): GitCredentials {
    const owner = 'GitCredentials.githubApp';
    requireWholeNumber(owner, 'appId', options.appId, 'Give the App ID from the app\'s settings page.');
    requireWholeNumber(owner, 'installationId', options.installationId, 'Give the number at the end of the installation\'s settings URL, or leave it out to look it up per repository.');
    const apiUrl = (options.apiUrl ?? GITHUB_API).replace(/\/+$/, '');
    const parsed = Token.isUnresolved(apiUrl) ? undefined : parseApiUrl(owner, apiUrl);
    requireProp(options.hosts !== undefined || !Token.isUnresolved(apiUrl), owner, 'hosts', 'cannot be derived from an `apiUrl` known only at deploy time', 'Give `hosts` explicitly.');
    const hosts = validHosts(owner, options.hosts ?? [parsed!.host.replace(/^api\./, '')]);
    return new SecretCredentials(options.privateKey, {
      secret: secretId(options.privateKey),
      hosts,
      githubApp: { appId: options.appId, ...(options.installationId !== undefined && { installationId: options.installationId }), apiUrl },
    });
  }

  /**
   * A token used as it is for every dispatch (a fine-grained personal access token, say). Prefer
   * {@link GitCredentials.githubApp}: this token lives until it is revoked, and reaches every repository it can.
   */
  public static personalAccessToken(options: PersonalAccessTokenOptions): GitCredentials {
    const owner = 'GitCredentials.personalAccessToken';
    const username = options.username ?? 'x-access-token';
    requireProp(Token.isUnresolved(username) || USERNAME.test(username), owner, 'username', `must be a user name without spaces or control characters, got "${username}"`, 'Give the account\'s login, or leave it out.');
    return new SecretCredentials(options.secret, {
      secret: secretId(options.secret),
      hosts: validHosts(owner, options.hosts ?? ['github.com']),
      username,
    });
  }

  /** No credentials: agents can clone public repositories only, and push nowhere that needs one. */
  public static none(): GitCredentials {
    return new NoCredentials();
  }

  /**
   * What the handlers need to know (`OUTPOST_CONFIG.gitCredentials`).
   * @internal
   */
  public abstract _config(): GitCredentialsConfig | undefined;

  /**
   * Lets a handler that hands dispatches to workers read the secret, and nothing else.
   * @internal
   */
  public abstract _grantRead(role: iam.IRole): void;
}

/** Either kind: the handlers read one secret, and what they do with it is in the configuration. */
class SecretCredentials extends GitCredentials {
  constructor(private readonly secret: secretsmanager.ISecret, private readonly config: GitCredentialsConfig) {
    super();
  }

  public _config(): GitCredentialsConfig {
    return this.config;
  }

  public _grantRead(role: iam.IRole): void {
    grantSecretRead(role, this.secret);
  }
}

class NoCredentials extends GitCredentials {
  public _config(): undefined {
    return undefined;
  }

  public _grantRead(): void {}
}

function requireWholeNumber(owner: string, prop: string, value: number | undefined, fix: string): void {
  if (value !== undefined && !Token.isUnresolved(value)) {
    requireProp(Number.isSafeInteger(value) && value > 0, owner, prop, `must be a positive whole number, got ${value}`, fix);
  }
}

function parseApiUrl(owner: string, apiUrl: string): URL {
  const url = URL.canParse(apiUrl) ? new URL(apiUrl) : undefined;
  requireProp(url?.protocol === 'https:' && !url.username && !url.password && !url.search && !url.hash, owner, 'apiUrl',
    `must be an https URL without credentials, query or fragment, got "${apiUrl}"`, 'Give https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server.');
  return url!;
}

/** Lower-cased, without the default https port (a repository URL's host never shows it). */
function validHosts(owner: string, hosts: string[]): string[] {
  requireProp(hosts.length > 0, owner, 'hosts', 'is empty', 'Name at least one host, e.g. ["github.com"], or use GitCredentials.none().');
  const normalized = hosts.map((host) => (Token.isUnresolved(host) ? host : host.trim().toLowerCase().replace(/:443$/, '')));
  const invalid = normalized.filter((host) => !Token.isUnresolved(host) && !HOST.test(host));
  requireProp(invalid.length === 0, owner, 'hosts', `holds ${invalid.map((host) => `"${host}"`).join(', ')}, which ${invalid.length === 1 ? 'is not a host' : 'are not hosts'}`,
    'Give host names as they appear in repository URLs, e.g. "github.com" or "git.example.com:8443", without a scheme or path.');
  return [...new Set(normalized)];
}
