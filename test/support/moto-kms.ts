import { CreateKeyCommand, DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { Kms } from '../../runtime/adapters/kms';
import { WorkerTokenCipher } from '../../runtime/adapters/worker-token-cipher';

/** The platform's key, as createPlatformKey makes it (symmetric, encrypt/decrypt), in moto. */
export async function createPlatformKey(): Promise<string> {
  const kms = new KMSClient({});
  try {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'outpost platform key (test)' }));
    return KeyMetadata!.Arn!;
  } finally {
    kms.destroy();
  }
}

/** The cipher the control plane seals worker tokens with, on moto's KMS (AWS_ENDPOINT_URL). */
export function motoWorkerTokenCipher(keyArn: string, cluster = 'outpost'): WorkerTokenCipher {
  return new WorkerTokenCipher(new Kms(), keyArn, cluster);
}

/** A ciphertext opened by the SDK's own KMS client, under the given encryption context: what KMS itself holds it to be. */
export async function decryptWithSdk(ciphertext: string, context: Record<string, string>): Promise<string> {
  const kms = new KMSClient({});
  try {
    const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(ciphertext, 'base64'), EncryptionContext: context }));
    return Buffer.from(Plaintext!).toString('utf8');
  } finally {
    kms.destroy();
  }
}
