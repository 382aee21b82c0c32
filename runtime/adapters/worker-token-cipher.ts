import type { Kms } from './kms';
import { newWorkerToken, workerTokenContext } from '../core/pool/worker-token';

/** A new worker token: the token to present, and its ciphertext, the only form it is given to ECS or stored in. */
export interface SealedWorkerToken {
  readonly token: string;
  readonly ciphertext: string;
}

/**
 * Seals worker tokens with the platform's KMS key under the worker-token encryption context, and opens them
 * again at hand-off (docs/security.md, "The worker token"). Opened tokens are kept per Lambda environment:
 * a token never changes, and a worker that is retried is then not one more Decrypt call.
 */
export class WorkerTokenCipher {
  private readonly opened = new Map<string, string>();

  constructor(private readonly kms: Kms, private readonly keyId: string, private readonly cluster: string) {}

  public async seal(): Promise<SealedWorkerToken> {
    const token = newWorkerToken();
    return { token, ciphertext: await this.kms.encrypt(this.keyId, Buffer.from(token), workerTokenContext(this.cluster)) };
  }

  public async open(ciphertext: string): Promise<string> {
    const cached = this.opened.get(ciphertext);
    if (cached !== undefined) {
      return cached;
    }
    const token = await decryptWorkerToken(this.kms, ciphertext, this.cluster);
    this.opened.set(ciphertext, token);
    return token;
  }
}

/** KMS Decrypt of a worker token's ciphertext under its encryption context: the hand-off's and the worker's. */
export async function decryptWorkerToken(kms: Kms, ciphertext: string, cluster: string): Promise<string> {
  return (await kms.decrypt(ciphertext, workerTokenContext(cluster))).toString('utf8');
}
