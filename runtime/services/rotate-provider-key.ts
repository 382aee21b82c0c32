import type { DescribedSecret } from '../adapters/secret-versions';
import { failed, keyNeeded, rotated, type RotationContext, type RotationNotification } from '../core/rotation/notifications';
import { isProvider, type Provider } from '../core/rotation/providers/key-checks';
import type { KeySource } from '../core/rotation/providers/key-source';
import type { RotationEvent } from '../core/rotation/rotation-event';
import { planStep, RotationRefused, STAGE } from '../core/rotation/rotation-plan';

export interface RotationDeps {
  readonly secrets: {
    describe(secretId: string): Promise<DescribedSecret>;
    value(secretId: string, stage: string, versionId?: string): Promise<string | undefined>;
    putPending(secretId: string, token: string, value: string): Promise<void>;
    makeCurrent(secretId: string, from: string, to: string): Promise<void>;
    clearPending(secretId: string, versionId: string): Promise<void>;
  };
  /** The key source configured for a provider; undefined when the platform rotates no key of that provider. */
  keySource(provider: Provider): KeySource | undefined;
  notify(notification: RotationNotification): Promise<void>;
  /** Counts a failed step (metric RotationFailures). */
  recordFailure(provider: string): void;
  logError(message: string, fields: Record<string, unknown>): void;
}

/** What a step did, for the log. */
export type StepOutcome = 'nothing to do' | 'created' | 'awaiting operator' | 'set' | 'tested' | 'finished';

/** Thrown by testSecret while a manual rotation waits for the operator's key. */
export class AwaitingKey extends Error {
  override readonly name = 'AwaitingKey';
}

/**
 * One step of the rotation contract for a provider key (docs/security.md, "Provider API key rotation"). A failed
 * step is counted and published to the platform's topic, then thrown, so that Secrets Manager records the
 * rotation as failed and AWSCURRENT stays where it is.
 */
export async function rotateProviderKey(deps: RotationDeps, event: RotationEvent): Promise<StepOutcome> {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  let provider: Provider | undefined;
  try {
    const secret = await deps.secrets.describe(secretId);
    provider = providerOf(secret);
    const source = deps.keySource(provider);
    if (!source) {
      throw new RotationRefused(`The rotation function has no configuration for ${provider} keys`);
    }
    return await runStep(deps, source, secret, { provider, secretId, token }, step);
  } catch (error) {
    deps.recordFailure(provider ?? 'unknown');
    deps.logError('the step failed', { step, secretId, token, provider, error });
    await deps.notify(failed({ provider, secretId, token }, step, error as Error)).catch((notifyError: unknown) =>
      deps.logError('the failure could not be published', { error: notifyError }));
    throw error;
  }
}

function providerOf(secret: DescribedSecret): Provider {
  if (secret.provider === undefined || !isProvider(secret.provider)) {
    throw new RotationRefused(`The secret's outpost:provider tag is ${secret.provider === undefined ? 'missing' : `"${secret.provider}", not a provider`}`);
  }
  return secret.provider;
}

async function runStep(deps: RotationDeps, source: KeySource, secret: DescribedSecret, context: RotationContext, step: RotationEvent['Step']): Promise<StepOutcome> {
  const { secretId, token, provider } = context;
  const plan = planStep(secret, token, step);
  switch (plan.kind) {
    case 'done':
      if (step === 'finishSecret') {
        // A retried finish: the first may have moved the stages and failed after.
        if (secret.versions[token].includes(STAGE.pending)) {
          await deps.secrets.clearPending(secretId, token);
        }
        await deps.notify(rotated(context));
      }
      return 'nothing to do';
    case 'create': {
      const currentKey = await deps.secrets.value(secretId, STAGE.current);
      if (currentKey === undefined) {
        throw new RotationRefused(`The secret has no ${STAGE.current} value: put the first ${provider} key before rotating it`);
      }
      if (await deps.secrets.value(secretId, STAGE.pending, token) !== undefined) {
        return 'nothing to do';
      }
      const key = await source.createKey({ provider, token, currentKey });
      if (key === undefined) {
        await deps.notify(keyNeeded(context, currentKey));
        return 'awaiting operator';
      }
      await deps.secrets.putPending(secretId, token, key);
      return 'created';
    }
    case 'set':
      // The provider holds the key from the moment it is created: there is nothing to set there.
      return 'set';
    case 'test': {
      const pending = await deps.secrets.value(secretId, STAGE.pending, token);
      if (pending === undefined) {
        throw new AwaitingKey(`No ${provider} key has been put as version ${token} (AWSPENDING) yet. Put it with: `
          + `aws secretsmanager put-secret-value --secret-id ${secretId} --client-request-token ${token} --version-stages AWSPENDING --secret-string <new key>`);
      }
      await source.testKey(provider, pending);
      return 'tested';
    }
    case 'finish': {
      const retired = plan.retiring === undefined ? undefined : await retire(deps, source, provider, plan.retiring);
      await deps.secrets.makeCurrent(secretId, plan.current, token);
      await deps.secrets.clearPending(secretId, token);
      await deps.notify(rotated(context, retired));
      return 'finished';
    }
  }
}

/** Revoking the oldest key is good housekeeping, not part of the contract: its failure is reported, not thrown. */
async function retire(deps: RotationDeps, source: KeySource, provider: Provider, versionId: string): Promise<string> {
  try {
    return await source.retireKey(provider, versionId);
  } catch (error) {
    deps.logError('retiring the previous key failed', { provider, versionId, error });
    return `retiring version ${versionId} failed (${(error as Error).message}); revoke its key in the ${provider} console`;
  }
}
