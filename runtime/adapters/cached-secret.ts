import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Long enough that a burst of dispatches reads the secret once; short enough that a rotated value is soon used. */
const DEFAULT_TTL_MS = 5 * 60_000;

interface Cached {
  readonly value: Promise<string>;
  readonly readAt: number;
}

/**
 * A Secrets Manager secret's string, read at most once per TTL in an execution environment. Concurrent callers
 * share one read; a failed read is not kept, so the next caller tries again.
 */
export class CachedSecret {
  private cached?: Cached;

  constructor(
    private readonly client: SecretsManagerClient,
    readonly secretId: string,
    private readonly ttlMs: number = DEFAULT_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  public value(): Promise<string> {
    const now = this.now();
    if (!this.cached || now - this.cached.readAt >= this.ttlMs) {
      const value = this.read();
      const cached = { value, readAt: now };
      this.cached = cached;
      value.catch(() => {
        if (this.cached === cached) {
          this.cached = undefined;
        }
      });
    }
    return this.cached.value;
  }

  private async read(): Promise<string> {
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (!SecretString) {
      throw Object.assign(new Error('the secret holds no string value'), { name: 'EmptySecret' });
    }
    return SecretString;
  }
}
