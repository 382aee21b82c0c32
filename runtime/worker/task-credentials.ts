import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * The task role's credentials, as the SDK's default chain would find them in a task: from ECS's credentials
 * endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, which ECS sets; FULL_URI elsewhere), or from the environment
 * where it gives keys instead. Only these two: the rest of the chain (SSO, INI files, process, instance metadata)
 * would nearly double the worker's bundle, and a task has none of them.
 */
export function taskCredentials(env: Readonly<Record<string, string | undefined>>): AwsCredentialIdentityProvider {
  return env.AWS_ACCESS_KEY_ID ? fromEnv() : fromHttp({});
}
