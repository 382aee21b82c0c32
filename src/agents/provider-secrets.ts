import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ModelProvider } from './agent-kind';
import { ProviderKeyRotator } from './provider-key-rotator';
import { acknowledgeFindings } from '../core/acknowledge';

/** Props for {@link ProviderSecrets}. */
export interface ProviderSecretsProps {
  /** Encrypts the secrets. */
  readonly encryptionKey: kms.IKey;
  /** What happens to the secrets when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Rotates each secret on its schedule. @default - no rotation: a key is replaced by putting a new value */
  readonly rotator?: ProviderKeyRotator;
}

/**
 * One Secrets Manager secret per model provider (Anthropic, OpenAI, Google, xAI), created on first use and
 * shared by every agent of that provider. Put the API key in it after deployment:
 * `aws secretsmanager put-secret-value --secret-id <arn> --secret-string <key>`. With a `rotator`, each secret
 * rotates on its schedule (docs/security.md, "Provider API key rotation").
 */
export class ProviderSecrets extends Construct {
  private readonly secrets = new Map<ModelProvider, secretsmanager.Secret>();
  private readonly props: ProviderSecretsProps;

  constructor(scope: Construct, id: string, props: ProviderSecretsProps) {
    super(scope, id);
    this.props = props;
  }

  /** The secret holding a provider's API key. */
  public secretFor(provider: ModelProvider): secretsmanager.ISecret {
    let secret = this.secrets.get(provider);
    if (!secret) {
      secret = new secretsmanager.Secret(this, provider, {
        description: `Outpost: the ${provider} API key agents use. Put the key here as the plain secret string.`,
        encryptionKey: this.props.encryptionKey,
        removalPolicy: this.props.removalPolicy ?? RemovalPolicy.RETAIN,
      });
      if (this.props.rotator) {
        this.props.rotator.rotate(provider, secret);
      } else {
        for (const rule of ['AwsSolutions-SMG4', 'NIST.800.53.R5-SecretsManagerRotationEnabled']) {
          acknowledgeFindings(secret, {
            id: rule,
            reason: 'Built without a rotator: a provider API key is issued by the provider, and replaced here by putting a new value.',
          });
        }
      }
      this.secrets.set(provider, secret);
    }
    return secret;
  }
}
