import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { JsonLogger } from './json-log';
import { CachedSecret } from '../adapters/cached-secret';
import { ManualKeySource } from '../adapters/manual-key-source';
import { OpenAiServiceAccounts } from '../adapters/openai-service-accounts';
import { publishRotationFailure } from '../adapters/rotation-metrics';
import { RotationNotifier } from '../adapters/rotation-notifier';
import { SecretVersions } from '../adapters/secret-versions';
import type { KeySource } from '../core/rotation/providers/key-source';
import { loadRotationConfig, type ProviderRotation } from '../core/rotation/rotation-config';
import type { RotationDeps } from '../services/rotate-provider-key';

/** The rotation function's log: about secrets, not dispatches, so its lines carry no correlation id. */
export const rotationLog = new JsonLogger('outpost-secret-rotation');

let deps: RotationDeps | undefined;

/** Clients and key sources of the rotation function, created once per execution environment. */
export function rotationDeps(): RotationDeps {
  deps ??= createDeps();
  return deps;
}

function createDeps(): RotationDeps {
  const config = loadRotationConfig();
  const secretsManager = new SecretsManagerClient({});
  const notifier = new RotationNotifier(new SNSClient({}), config.topicArn);
  const sources = new Map(Object.entries(config.providers).map(([provider, settings]) => [provider, keySource(settings, secretsManager)]));
  return {
    secrets: new SecretVersions(secretsManager),
    keySource: (provider) => sources.get(provider),
    notify: (notification) => notifier.publish(notification),
    recordFailure: publishRotationFailure,
    logError: (message, fields) => rotationLog.error(message, fields),
  };
}

function keySource(settings: ProviderRotation, secretsManager: SecretsManagerClient): KeySource {
  if (settings.mode === 'openai-service-account') {
    if (!settings.openAi) {
      throw new Error('OUTPOST_ROTATION: mode openai-service-account without its openAi settings');
    }
    const adminKey = new CachedSecret(secretsManager, settings.openAi.adminKeySecret);
    return new OpenAiServiceAccounts({ ...settings.openAi, adminKey: () => adminKey.value(), apiUrl: settings.apiUrl });
  }
  return new ManualKeySource(settings.apiUrl);
}
