import type { WaitConditionSignal } from '../core/image-build/build-failure';

/**
 * Signal a CloudFormation wait condition: a PUT of the JSON signal to the handle's presigned S3 URL (CloudFormation
 * User Guide, "Create wait conditions in a CloudFormation template"). The URL is signed without a content type,
 * so none is sent; being presigned, it needs no AWS credentials.
 */
export async function signalWaitCondition(handleUrl: string, signal: WaitConditionSignal): Promise<void> {
  const response = await fetch(handleUrl, { method: 'PUT', body: JSON.stringify(signal), headers: { 'content-type': '' } });
  if (!response.ok) {
    throw new Error(`The wait condition handle answered ${response.status}`);
  }
}
