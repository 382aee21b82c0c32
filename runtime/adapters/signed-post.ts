import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface ServiceEndpointOptions {
  /** @default AWS_REGION */
  readonly region?: string;
  /** @default AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL (as the SDK reads them), else the service's regional endpoint */
  readonly endpoint?: string;
  /** Whose calls these are: a function's role, or the task's (runtime/worker/task-credentials.ts). */
  readonly credentials: AwsCredentialIdentityProvider;
}

/**
 * One AWS service's endpoint, and SigV4 signing for it as the SDK signs: for the two calls the worker makes
 * (KMS Decrypt, Lambda Invoke), where the SDK's clients would more than double its bundle.
 */
export class SignedPost {
  public readonly url: URL;
  private readonly signer: SignatureV4;

  /** `service` is the signing name (`kms`, `lambda`), which is also the endpoint's first label and its variable's suffix. */
  constructor(service: string, options: ServiceEndpointOptions, owner: string) {
    const region = options.region ?? process.env.AWS_REGION;
    if (!region) {
      throw new Error(`${owner} needs a Region: set AWS_REGION or pass \`region\``);
    }
    const variable = `AWS_ENDPOINT_URL_${service.toUpperCase()}`;
    this.url = new URL(options.endpoint ?? process.env[variable] ?? process.env.AWS_ENDPOINT_URL ?? `https://${service}.${region}.amazonaws.com`);
    this.signer = new SignatureV4({ service, region, credentials: options.credentials, sha256: Sha256 });
  }

  /** POSTs `body` to `path` below the endpoint, signed; fetch's answer, whatever its status. */
  public async post(path: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<Response> {
    const url = new URL(this.url);
    url.pathname = `${this.url.pathname.replace(/\/$/, '')}${path}`;
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      headers: { host: url.host, ...headers },
      body,
    });
    const sent = { ...signed.headers };
    // fetch sends the URL's host itself, exactly as signed above.
    delete sent.host;
    return fetch(url, { method: 'POST', headers: sent, body, signal });
  }
}
