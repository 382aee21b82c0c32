import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Kms } from '../adapters/kms';
import { WorkerTokenCipher } from '../adapters/worker-token-cipher';
import type { PlatformConfig } from '../core/config';

let cipher: WorkerTokenCipher | undefined;

/** The worker-token cipher, one per execution environment: it keeps the tokens it has opened. */
export function workerTokenCipher(config: PlatformConfig): WorkerTokenCipher {
  cipher ??= new WorkerTokenCipher(new Kms({ credentials: defaultProvider() }), config.workerTokenKey, config.cluster);
  return cipher;
}
