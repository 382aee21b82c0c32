import {
  DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PROVIDER_TAG } from '../core/rotation/rotation-config';
import { STAGE, type SecretState } from '../core/rotation/rotation-plan';

/** A secret as rotation sees it: its stages, and the provider its tag names. */
export interface DescribedSecret extends SecretState {
  readonly provider?: string;
}

/** The Secrets Manager calls of the rotation contract, on one client. */
export class SecretVersions {
  constructor(private readonly client: SecretsManagerClient) {}

  public async describe(secretId: string): Promise<DescribedSecret> {
    const secret = await this.client.send(new DescribeSecretCommand({ SecretId: secretId }));
    const provider = secret.Tags?.find((tag) => tag.Key === PROVIDER_TAG)?.Value;
    return {
      rotationEnabled: secret.RotationEnabled === true,
      versions: secret.VersionIdsToStages ?? {},
      ...(provider !== undefined && { provider }),
    };
  }

  /** The value of a version, by stage (and id): undefined while the version has none (a rotation just begun). */
  public async value(secretId: string, stage: string, versionId?: string): Promise<string | undefined> {
    try {
      const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, VersionId: versionId }));
      return SecretString;
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') {
        return undefined;
      }
      throw error;
    }
  }

  /** The new key as the token's version, staged AWSPENDING; repeating it with the same value changes nothing. */
  public async putPending(secretId: string, token: string, value: string): Promise<void> {
    await this.client.send(new PutSecretValueCommand({
      SecretId: secretId, ClientRequestToken: token, SecretString: value, VersionStages: [STAGE.pending],
    }));
  }

  /** AWSCURRENT onto `to`; Secrets Manager moves AWSPREVIOUS onto `from` by itself. */
  public async makeCurrent(secretId: string, from: string, to: string): Promise<void> {
    await this.client.send(new UpdateSecretVersionStageCommand({
      SecretId: secretId, VersionStage: STAGE.current, RemoveFromVersionId: from, MoveToVersionId: to,
    }));
  }

  /** A finished rotation leaves no AWSPENDING behind, so that the next one may start. */
  public async clearPending(secretId: string, versionId: string): Promise<void> {
    await this.client.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: STAGE.pending, RemoveFromVersionId: versionId }));
  }
}
