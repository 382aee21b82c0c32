import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ModelProvider } from './agent-kind';
import { grantSecretRead, secretId } from '../core/secret-grants';
import { requireProp } from '../core/validation';

/** Options for {@link ProviderKeyRotation.openAiServiceAccount}. */
export interface OpenAiServiceAccountRotationOptions {
  /**
   * The secret holding an OpenAI Admin API key (`sk-admin-…`, created by an organization owner) as its plain
   * secret string. Import it with `Secret.fromSecretCompleteArn` for a grant on exactly that secret.
   */
  readonly adminKey: secretsmanager.ISecret;
  /** The OpenAI project the agents' keys belong to (`proj_…`). */
  readonly projectId: string;
}

/**
 * How a provider's API key is renewed when its secret rotates (docs/security.md, "Provider API key rotation").
 *
 * @example
 * ProviderKeyRotation.openAiServiceAccount({ adminKey: Secret.fromSecretCompleteArn(this, 'OpenAiAdmin', adminKeyArn), projectId: 'proj_abc' })
 */
export abstract class ProviderKeyRotation {
  /**
   * An operator creates the new key: the rotation asks for it on the platform's topic and fails its test step
   * until the key is put as the pending version, then tests it with the provider and makes it current.
   */
  public static manual(): ProviderKeyRotation {
    return new ManualRotation();
  }

  /**
   * OpenAI only: each rotation creates a service account in the project with the Admin API and uses its key;
   * the account of the key that falls out of use (the one AWSPREVIOUS before) is deleted.
   */
  public static openAiServiceAccount(options: OpenAiServiceAccountRotationOptions): ProviderKeyRotation {
    const owner = 'ProviderKeyRotation.openAiServiceAccount';
    requireProp(Token.isUnresolved(options.projectId) || /^proj_[A-Za-z0-9]+$/.test(options.projectId), owner, 'projectId',
      `must be an OpenAI project id, got "${options.projectId}"`, 'Give the id from the project\'s settings page, e.g. "proj_abc123".');
    return new OpenAiServiceAccountRotation(options);
  }

  /**
   * What the rotation function needs to know (`OUTPOST_ROTATION.providers[provider]`).
   * @internal
   */
  public abstract _config(provider: ModelProvider): Record<string, unknown>;

  /**
   * Lets the rotation function read what this kind of rotation needs beyond the provider's secret.
   * @internal
   */
  public abstract _grant(role: iam.IRole): void;
}

class ManualRotation extends ProviderKeyRotation {
  public _config(): Record<string, unknown> {
    return { mode: 'manual' };
  }

  public _grant(): void {}
}

class OpenAiServiceAccountRotation extends ProviderKeyRotation {
  constructor(private readonly options: OpenAiServiceAccountRotationOptions) {
    super();
  }

  public _config(provider: ModelProvider): Record<string, unknown> {
    requireProp(provider === ModelProvider.OPENAI, 'ProviderKeyRotationOptions', provider, 'is ProviderKeyRotation.openAiServiceAccount(), which creates OpenAI keys only',
      `Give it as \`openai\`, and ProviderKeyRotation.manual() (or nothing) as \`${provider}\`.`);
    return {
      mode: 'openai-service-account',
      openAi: { adminKeySecret: secretId(this.options.adminKey), projectId: this.options.projectId, adminUrl: 'https://api.openai.com' },
    };
  }

  public _grant(role: iam.IRole): void {
    grantSecretRead(role, this.options.adminKey);
  }
}

/** How provider API keys rotate: the schedule, and each provider's {@link ProviderKeyRotation}. */
export interface ProviderKeyRotationOptions {
  /** Time between rotations, from 4 hours to 1000 days. @default Duration.days(90) */
  readonly automaticallyAfter?: Duration;
  /** @default ProviderKeyRotation.manual() */
  readonly anthropic?: ProviderKeyRotation;
  /** @default ProviderKeyRotation.manual() */
  readonly openai?: ProviderKeyRotation;
  /** @default ProviderKeyRotation.manual() */
  readonly google?: ProviderKeyRotation;
  /** @default ProviderKeyRotation.manual() */
  readonly xai?: ProviderKeyRotation;
}
