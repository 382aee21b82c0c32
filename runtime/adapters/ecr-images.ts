import { SignedPost, type ServiceEndpointOptions } from './signed-post';
import type { EcrImageReference } from '../core/fleet-readiness';

/** ECR refused or failed a call: its error type (`__type`, e.g. ImageNotFoundException) and message. */
export class EcrError extends Error {
  constructor(public readonly type: string, message: string) {
    super(`ECR ${type}: ${message}`);
    this.name = type;
  }
}

/**
 * ECR's DescribeImages, the one ECR call fleet health makes, over ECR's JSON protocol (AWS JSON 1.1,
 * `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Action>`), signed as the SDK signs: @aws-sdk/client-ecr
 * would add a whole client to a handler for one call.
 */
export class EcrImages {
  private readonly ecr: SignedPost;

  constructor(options: ServiceEndpointOptions) {
    this.ecr = new SignedPost('ecr', options, 'EcrImages');
  }

  /** Whether the image is in its repository: false when ECR says the image (or the repository) is not there. */
  public async exists(image: EcrImageReference): Promise<boolean> {
    const imageId = image.imageDigest ? { imageDigest: image.imageDigest } : { imageTag: image.imageTag };
    try {
      await this.call('DescribeImages', { registryId: image.registryId, repositoryName: image.repositoryName, imageIds: [imageId] });
      return true;
    } catch (error) {
      if (error instanceof EcrError && (error.type === 'ImageNotFoundException' || error.type === 'RepositoryNotFoundException')) {
        return false;
      }
      throw error;
    }
  }

  private async call(action: string, input: object): Promise<Record<string, unknown>> {
    const response = await this.ecr.post('', {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${action}`,
    }, JSON.stringify(input));
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const type = String(answer.__type ?? `HTTP ${response.status}`);
      throw new EcrError(type.slice(type.lastIndexOf('#') + 1), String(answer.message ?? answer.Message ?? ''));
    }
    return answer;
  }
}
