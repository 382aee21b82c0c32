import type { Provider } from './providers/key-checks';
import type { RotationStep } from './rotation-event';

/** What the platform's topic receives about a rotation; `event` and `provider` also go as message attributes. */
export interface RotationNotification {
  readonly event: 'key-needed' | 'rotated' | 'failed';
  readonly provider: string;
  readonly subject: string;
  readonly message: string;
}

export interface RotationContext {
  readonly provider: Provider;
  readonly secretId: string;
  readonly token: string;
}

/**
 * The operator's part of a manual rotation, word for word the runbook of docs/security.md: put the new key as
 * the pending version, then resume the rotation with the same token.
 */
export function keyNeeded(context: RotationContext, currentKey: string): RotationNotification {
  const { provider, secretId, token } = context;
  return {
    event: 'key-needed',
    provider,
    subject: `Outpost: create a new ${provider} API key`,
    message: [
      `The ${provider} API key in ${secretId} is due for rotation, and ${provider} offers no API that creates keys for Outpost.`,
      `1. Create a new key in the ${provider} console (the one in use ends with "${currentKey.slice(-4)}").`,
      '2. Put it as the pending version of the secret:',
      `   aws secretsmanager put-secret-value --secret-id ${secretId} --client-request-token ${token} --version-stages AWSPENDING --secret-string <new key>`,
      '3. Finish the rotation (Outpost tests the key with the provider, then makes it current):',
      `   aws secretsmanager rotate-secret --secret-id ${secretId} --client-request-token ${token}`,
      '4. After the next rotation, revoke the key that ends as above: runs started before this one may still use it until then.',
      'Until step 2, each try of the rotation fails its test step and says so here. Nothing changes for agents until the new key has passed the test.',
    ].join('\n'),
  };
}

export function rotated(context: RotationContext, retired?: string): RotationNotification {
  const { provider, secretId, token } = context;
  return {
    event: 'rotated',
    provider,
    subject: `Outpost: the ${provider} API key was rotated`,
    message: [
      `Version ${token} of ${secretId} is now AWSCURRENT: new agent runs use the new key; the previous one stays AWSPREVIOUS.`,
      ...(retired !== undefined ? [`The key that was AWSPREVIOUS before: ${retired}`] : []),
    ].join('\n'),
  };
}

export function failed(context: Omit<RotationContext, 'provider'> & { readonly provider?: Provider }, step: RotationStep, error: Error): RotationNotification {
  const provider = context.provider ?? 'unknown';
  return {
    event: 'failed',
    provider,
    subject: `Outpost: rotating the ${provider} API key failed`,
    message: [
      `The ${step} step of rotating ${context.secretId} (version ${context.token}) failed: ${error.message}`,
      'AWSCURRENT is unchanged: agents keep using the current key. See docs/security.md, "Provider API key rotation".',
    ].join('\n'),
  };
}
