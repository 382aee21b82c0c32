import { rotationEventOf } from '../../core/rotation/rotation-event';
import { rotationDeps, rotationLog } from '../../lambda/rotation';
import { rotateProviderKey } from '../../services/rotate-provider-key';

/**
 * The provider API keys' rotation function, invoked by Secrets Manager once per step of each rotation
 * (docs/security.md, "Provider API key rotation"). A step that fails throws, as the contract requires.
 */
export async function handler(event: unknown): Promise<void> {
  const rotation = rotationEventOf(event);
  const outcome = await rotateProviderKey(rotationDeps(), rotation);
  rotationLog.info(outcome, { step: rotation.Step, secretId: rotation.SecretId, token: rotation.ClientRequestToken });
}
