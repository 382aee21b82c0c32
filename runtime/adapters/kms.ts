import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface KmsOptions {
  /** @default AWS_REGION */
  readonly region?: string;
  /** @default AWS_ENDPOINT_URL_KMS, else AWS_ENDPOINT_URL (as the SDK reads them), else KMS's regional endpoint */
  readonly endpoint?: string;
  /** Whose calls these are: the function's role (runtime/lambda/worker-tokens.ts), the task's (runtime/worker/task-credentials.ts). */
  readonly credentials: AwsCredentialIdentityProvider;
}

/** KMS refused or failed a call: its error type (`__type`) and message. */
export class KmsError extends Error {
  constructor(public readonly type: string, message: string) {
    super(`KMS ${type}: ${message}`);
    this.name = 'KmsError';
  }
}

/**
 * Encrypt and Decrypt, the two KMS calls the worker token needs, over KMS's JSON protocol (AWS JSON 1.1,
 * `X-Amz-Target: TrentService.<Action>`), signed as the SDK signs: @aws-sdk/client-kms would more than double
 * the worker's bundle and take every handler that starts a task past its size budget.
 */
export class Kms {
  private readonly region: string;
  private readonly url: URL;
  private readonly signer: SignatureV4;

  constructor(options: KmsOptions) {
    const region = options.region ?? process.env.AWS_REGION;
    if (!region) {
      throw new Error('Kms needs a Region: set AWS_REGION or pass `region`');
    }
    this.region = region;
    this.url = new URL(options.endpoint ?? process.env.AWS_ENDPOINT_URL_KMS ?? process.env.AWS_ENDPOINT_URL ?? `https://kms.${region}.amazonaws.com`);
    this.signer = new SignatureV4({ service: 'kms', region: this.region, credentials: options.credentials, sha256: Sha256 });
  }

  /** The ciphertext blob, base64, of `plaintext` under `keyId` and `context`. */
  public async encrypt(keyId: string, plaintext: Buffer, context: Record<string, string>): Promise<string> {
    const response = await this.call('Encrypt', { KeyId: keyId, Plaintext: plaintext.toString('base64'), EncryptionContext: context });
    return field(response, 'CiphertextBlob', 'Encrypt');
  }

  /** The plaintext of a base64 ciphertext blob, which KMS gives only under the context it was encrypted with. */
  public async decrypt(ciphertext: string, context: Record<string, string>): Promise<Buffer> {
    const response = await this.call('Decrypt', { CiphertextBlob: ciphertext, EncryptionContext: context });
    return Buffer.from(field(response, 'Plaintext', 'Decrypt'), 'base64');
  }

  private async call(action: string, input: object): Promise<Record<string, unknown>> {
    const body = JSON.stringify(input);
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      port: this.url.port === '' ? undefined : Number(this.url.port),
      path: this.url.pathname,
      headers: { 'host': this.url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${action}` },
      body,
    });
    const headers = { ...signed.headers };
    // fetch sends the URL's host itself, exactly as signed above.
    delete headers.host;
    const response = await fetch(this.url, { method: 'POST', headers, body });
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const type = String(answer.__type ?? `HTTP ${response.status}`);
      throw new KmsError(type.slice(type.lastIndexOf('#') + 1), String(answer.message ?? answer.Message ?? ''));
    }
    return answer;
  }
}

function field(response: Record<string, unknown>, name: string, action: string): string {
  const value = response[name];
  if (typeof value !== 'string' || value === '') {
    throw new KmsError('InvalidResponse', `${action} answered without ${name}`);
  }
  return value;
}
