import { CloudFormationClient } from '@aws-sdk/client-cloudformation';

/**
 * The Region the AWS SDK would use for this AWS profile (AWS_REGION, else the profile's `region` in
 * ~/.aws/config), as every SDK client resolves it; undefined when it has none. Any client resolves it the same
 * way: CloudFormation's is already in the bundle for `--stack`.
 */
export async function sdkRegion(awsProfile: string | undefined): Promise<string | undefined> {
  try {
    return await new CloudFormationClient(awsProfile === undefined ? {} : { profile: awsProfile }).config.region();
  } catch {
    return undefined;
  }
}
