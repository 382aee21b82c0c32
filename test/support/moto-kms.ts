import { CreateKeyCommand, DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Kms } from '../../runtime/adapters/kms';
import { WorkerTokenCipher } from '../../runtime/adapters/worker-token-cipher';

/** The platform's key, as createPlatformKey makes it (symmetric, encrypt/decrypt), in moto (AWS_ENDPOINT_URL's, or `endpoint`). */
export async function createPlatformKey(endpoint?: string): Promise<string> {
  const kms = new KMSClient({ ...(endpoint && { endpoint }) });
  try {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'outpost platform key (test)' }));
    return KeyMetadata!.Arn!;
  } finally {
    kms.destroy();
  }
}

/** The cipher the control plane seals worker tokens with, on moto's KMS (AWS_ENDPOINT_URL's, or `endpoint`). */
export function motoWorkerTokenCipher(keyArn: string, cluster = 'outpost', endpoint?: string): WorkerTokenCipher {
  return new WorkerTokenCipher(new Kms({ credentials: fromEnv(), endpoint }), keyArn, cluster);
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

/** A worker's token, and the environment a worker is started with to decrypt it from moto's KMS, as a task would. */
export interface SealedWorker {
  readonly token: string;
  readonly env: Record<string, string>;
}

/**
 * A new token sealed by the control plane's cipher under a new platform key, and what the worker's process needs
 * to open it: the RunTask override's two variables, and moto (AWS_ENDPOINT_URL, as startMoto set it, or
 * `endpoint`: runs that start their own moto concurrently in one process must name theirs) with its fake
 * credentials, where a task has its role's.
 */
export async function sealedWorker(cluster = 'outpost', endpoint?: string): Promise<SealedWorker> {
  const { token, ciphertext } = await motoWorkerTokenCipher(await createPlatformKey(endpoint), cluster, endpoint).seal();
  return {
    token,
    env: {
      ...workerKmsEnvironment(),
      ...(endpoint && { AWS_ENDPOINT_URL: endpoint }),
      OUTPOST_WORKER_TOKEN_CIPHERTEXT: ciphertext,
      OUTPOST_CLUSTER: cluster,
    },
  };
}

/** How a worker process reaches moto's KMS: the endpoint and credentials startMoto set in this process. */
export function workerKmsEnvironment(): Record<string, string> {
  const names = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'];
  return Object.fromEntries(names.map((name) => {
    const value = process.env[name];
    if (!value) {
      throw new Error(`${name} is not set: start moto (startMoto) before sealing a worker token`);
    }
    return [name, value];
  }));
}
