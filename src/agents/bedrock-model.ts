import { Arn, ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Geography prefixes of cross-Region inference profiles (`us.anthropic…`, `eu.anthropic…`). */
const PROFILE_PREFIX = /^(us|eu|apac|us-gov|jp|au|global)\./;

/**
 * An Amazon Bedrock model for Claude Code, either invoked directly or through a cross-Region inference
 * profile (which newer Claude models require on demand).
 */
export class BedrockModel {
  /**
   * The default: Claude Sonnet 4.5 through the US cross-Region inference profile. Outside the US, use
   * `inferenceProfile('eu.…')` or `inferenceProfile('apac.…')`.
   */
  public static readonly CLAUDE_SONNET_4_5 = BedrockModel.inferenceProfile('us.anthropic.claude-sonnet-4-5-20250929-v1:0');

  /** A foundation model invoked in this stack's Region, e.g. `anthropic.claude-3-5-haiku-20241022-v1:0`. */
  public static foundationModel(modelId: string): BedrockModel {
    return new BedrockModel(validateModelId(modelId), undefined);
  }

  /** A cross-Region inference profile, e.g. `us.anthropic.claude-sonnet-4-5-20250929-v1:0`. */
  public static inferenceProfile(profileId: string): BedrockModel {
    const id = validateModelId(profileId);
    if (!PROFILE_PREFIX.test(id)) {
      throw new Error(`BedrockModel: "${profileId}" is not an inference profile id. Profile ids start with a geography such as "us." or "eu."; use BedrockModel.foundationModel for a plain model id.`);
    }
    return new BedrockModel(id.replace(PROFILE_PREFIX, ''), id);
  }

  /** The foundation model, e.g. `anthropic.claude-sonnet-4-5-20250929-v1:0`. */
  public readonly foundationModelId: string;
  /** The inference profile, when the model is invoked through one. */
  public readonly inferenceProfileId?: string;
  /** The id Claude Code is given (`ANTHROPIC_MODEL`): the profile id, or the model id. */
  public readonly invocationId: string;

  private constructor(foundationModelId: string, inferenceProfileId?: string) {
    this.foundationModelId = foundationModelId;
    this.inferenceProfileId = inferenceProfileId;
    this.invocationId = inferenceProfileId ?? foundationModelId;
  }

  /**
   * The ARNs to allow `bedrock:InvokeModel*` on: the model in this Region; for a profile, the profile and the
   * model in the Regions the profile may route to (Bedrock checks both).
   */
  public resourceArns(scope: Construct): string[] {
    const stack = Stack.of(scope);
    const model = (region: string) => `arn:${Aws.PARTITION}:bedrock:${region}::foundation-model/${this.foundationModelId}`;
    if (!this.inferenceProfileId) {
      return [model(Aws.REGION)];
    }
    const profile = Arn.format({ service: 'bedrock', resource: 'inference-profile', resourceName: this.inferenceProfileId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
    return [profile, model('*')];
  }
}

function validateModelId(id: string): string {
  if (!/^[a-z0-9][a-z0-9.:-]{2,127}$/i.test(id)) {
    throw new Error(`BedrockModel: "${id}" is not a Bedrock model id (letters, digits, ".", ":" and "-", e.g. "anthropic.claude-sonnet-4-5-20250929-v1:0").`);
  }
  return id;
}
