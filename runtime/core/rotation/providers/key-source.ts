import type { Provider } from './key-checks';

/** How a provider's new key comes to be (docs/security.md, "Provider API key rotation"). */
export type RotationMode = 'manual' | 'openai-service-account';

/** What a key source knows when it is asked for a new key. */
export interface NewKeyRequest {
  readonly provider: Provider;
  /** The new version's id: names what the provider creates, so that a retried step finds it. */
  readonly token: string;
  /** The key in use (AWSCURRENT). */
  readonly currentKey: string;
}

/**
 * The provider-specific part of rotation: where a new key comes from, whether a key works, and what happens to a
 * key that is no longer in use.
 */
export interface KeySource {
  readonly mode: RotationMode;
  /** createSecret: the new key, or undefined when an operator must create it (the step then notifies them). */
  createKey(request: NewKeyRequest): Promise<string | undefined>;
  /** testSecret: resolves when the provider accepts the key, throws saying why not otherwise. */
  testKey(provider: Provider, key: string): Promise<void>;
  /** finishSecret: revoke the key of a version that lost its last stage. Says what it did, for the notification. */
  retireKey(provider: Provider, versionId: string): Promise<string>;
}
