import { SignedPost, type ServiceEndpointOptions } from './signed-post';

/**
 * Where KMS is (AWS_ENDPOINT_URL_KMS, else AWS_ENDPOINT_URL, else KMS's regional endpoint) and whose calls these
 * are: the function's role (runtime/lambda/worker-tokens.ts), the task's (runtime/worker/task-credentials.ts).
 */
export type KmsOptions = ServiceEndpointOptions;

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
  private readonly kms: SignedPost;

  constructor(options: KmsOptions) {
    this.kms = new SignedPost('kms', options, 'Kms');
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
    const response = await this.kms.post('', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${action}` }, JSON.stringify(input));
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
