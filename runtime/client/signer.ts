import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ClientCredentials, ClientCredentialsProvider } from './options';

/** The service name API Gateway's IAM authorization checks signatures against. */
export const EXECUTE_API = 'execute-api';

/**
 * Signs requests to the API with SigV4, as the AWS SDK signs its own (same signer, same hash); with another
 * `service` (its signing name), requests to that AWS service, as the CLI's few direct AWS calls do.
 */
export class RequestSigner {
  private readonly signer: SignatureV4;

  constructor(region: string, credentials?: ClientCredentials | ClientCredentialsProvider, service: string = EXECUTE_API) {
    this.signer = new SignatureV4({
      service,
      region,
      // The default chain resolves lazily and caches temporary credentials until shortly before they expire.
      credentials: credentials ?? defaultProvider(),
      sha256: Sha256,
    });
  }

  /**
   * The headers to send: the request's own (`headers`, signed too; by default a JSON body's content type) plus
   * the signature's (`authorization`, `x-amz-date`, …).
   */
  public async sign(
    method: string, url: URL, body: string | undefined, headers: Record<string, string> = jsonBody(body),
  ): Promise<Record<string, string>> {
    const signed = await this.signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, ...headers },
      body,
    });
    // fetch sends the URL's host itself, exactly as signed above.
    const sent = { ...signed.headers };
    delete sent.host;
    return sent;
  }
}

function jsonBody(body: string | undefined): Record<string, string> {
  return body !== undefined ? { 'content-type': 'application/json' } : {};
}
