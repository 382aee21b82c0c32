import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in Lambda bundles (an esbuild alias, see .projenrc.ts).
 * Lambda always gives a function its role's credentials in environment variables, so the default chain's
 * SSO, INI, process, web-identity and instance-metadata providers — and the STS and SSO clients they
 * bundle — are dead weight on every cold start.
 */
export function defaultProvider(): AwsCredentialIdentityProvider {
  return fromEnv();
}
