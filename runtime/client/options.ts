import type { Backoff } from '../core/backoff';

/** AWS credentials, as every credential provider of the AWS SDK for JavaScript returns them. */
export interface ClientCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When temporary credentials stop working: the provider is asked again before then. */
  readonly expiration?: Date;
}

/** Where credentials come from, e.g. `fromIni({ profile: 'dev' })` of `@aws-sdk/credential-providers`. */
export type ClientCredentialsProvider = () => Promise<ClientCredentials>;

/** Options of {@link OutpostClient} and {@link OutpostAdminClient}. */
export interface OutpostClientOptions {
  /** The API's base URL: the platform stack's `ApiUrl` output, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/`. */
  readonly endpoint: string;
  /**
   * The Region requests are signed for.
   * @default - the Region in the endpoint's host name, else `AWS_REGION` or `AWS_DEFAULT_REGION`
   */
  readonly region?: string;
  /**
   * Credentials, or a provider of them, allowed to invoke the API (`grantDispatch`, `grantRead` or `grantAdmin`).
   * @default - the AWS SDK's default chain: environment, SSO, shared config and credentials files, container and instance roles
   */
  readonly credentials?: ClientCredentials | ClientCredentialsProvider;
  /** How long one attempt may take, in milliseconds, before it is abandoned (and retried). @default 30000 */
  readonly timeoutMs?: number;
  /**
   * How long a whole call may take, in milliseconds, its attempts and the waits between them included: once it
   * has passed, the call fails instead of trying again.
   * @default - no bound but `timeoutMs` per attempt and `maxAttempts`
   */
  readonly totalTimeoutMs?: number;
  /**
   * Attempts per call, the first included. Throttling (429), server errors (5xx), network errors and timeouts
   * are retried after a jittered, exponentially growing wait; other errors are thrown at once.
   * @default 5
   */
  readonly maxAttempts?: number;
  /** Bounds of the wait between attempts. @default - 200 ms doubling per attempt, at most 5 s */
  readonly backoff?: Backoff;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** API Gateway's own host names carry their Region: `<api>.execute-api.<region>.amazonaws.com`. */
const EXECUTE_API_HOST = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** The Region to sign for; a custom domain name has none in it, so then it must come from options or the environment. */
export function signingRegion(options: Pick<OutpostClientOptions, 'endpoint' | 'region'>, env: NodeJS.ProcessEnv = process.env): string {
  const region = options.region ?? EXECUTE_API_HOST.exec(new URL(options.endpoint).hostname)?.[1] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new Error(`OutpostClient: pass \`region\`; ${options.endpoint} does not name one, and neither AWS_REGION nor AWS_DEFAULT_REGION is set.`);
  }
  return region;
}
