import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { ClientCredentialsProvider } from '../../client/options';

/** No credentials to sign with: says where they were looked for and how to provide them. */
export class MissingCredentialsError extends Error {
  public override readonly name = 'MissingCredentialsError';

  constructor(awsProfile: string | undefined, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(awsProfile === undefined
      ? `no AWS credentials to sign with (${why}): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run \`aws configure\` or \`aws sso login\`, or name a configured AWS profile with --profile NAME (or awsProfile in the config profile)`
      : `no AWS credentials for the AWS profile "${awsProfile}" (${why}): is it in ~/.aws/config or ~/.aws/credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE)? Configure it with \`aws configure --profile ${awsProfile}\` or \`aws configure sso --profile ${awsProfile}\`, log in with \`aws sso login --profile ${awsProfile}\` if it uses SSO, or leave out --profile to use the default credential chain`,
    { cause });
  }
}

/** The AWS SDK's default credential chain (of `awsProfile`, when given), failing with what to do. */
export function credentialChain(awsProfile: string | undefined): ClientCredentialsProvider {
  const provider = defaultProvider(awsProfile === undefined ? {} : { profile: awsProfile });
  return async () => {
    try {
      return await provider();
    } catch (error) {
      throw new MissingCredentialsError(awsProfile, error);
    }
  };
}
