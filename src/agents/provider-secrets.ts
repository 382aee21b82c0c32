import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ModelProvider } from './agent-kind';

/** Props for {@link ProviderSecrets}. */
export interface ProviderSecretsProps {
  /** Encrypts the secrets. */
  readonly encryptionKey: kms.IKey;
  /** What happens to the secrets when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One Secrets Manager secret per model provider (Anthropic, OpenAI, Google, xAI), created on first use and
 * shared by every agent of that provider. Put the API key in it after deployment:
 * `aws secretsmanager put-secret-value --secret-id <arn> --secret-string <key>`.
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
      for (const rule of ['AwsSolutions-SMG4', 'NIST.800.53.R5-SecretsManagerRotationEnabled']) {
        Validations.of(secret).acknowledge({
          id: rule,
          reason: 'A provider API key is issued by the provider, not generated here; it is replaced by putting a new value.',
        });
      }
      this.secrets.set(provider, secret);
    }
    return secret;
  }
}
