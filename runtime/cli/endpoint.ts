import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { UsageError } from './exit';
import type { ConfigProfile } from './settings/config-file';
import { MissingCredentialsError } from './settings/credentials';

export interface EndpointOptions {
  readonly endpoint?: string;
  readonly stack?: string;
  readonly profile?: string;
  readonly region?: string;
}

/**
 * The construct's `ApiUrl` output (src/control-plane/control-plane-api.ts). Its key is the output's logical id:
 * `ApiUrl` after the construct's path and before CDK's 8-character hash, e.g. `OutpostControlPlaneApiApiUrl1A2B3C4D`.
 */
const API_URL_OUTPUT = /ApiUrl([0-9A-F]{8})?$/;

export const NO_ENDPOINT = 'no API endpoint: pass --endpoint URL, set OUTPOST_ENDPOINT, name the platform stack with --stack NAME, or put "endpoint" in a config profile';

/**
 * Where the API is: `--endpoint` or `--stack` as given, else `OUTPOST_ENDPOINT`, else the config profile's
 * `endpoint` or `stack` (the stack's `ApiUrl` output).
 */
export async function resolveEndpoint(options: EndpointOptions, env: NodeJS.ProcessEnv, config: ConfigProfile = {}): Promise<string> {
  if (options.endpoint !== undefined) {
    return apiUrl(options.endpoint, '--endpoint');
  }
  if (options.stack !== undefined) {
    return stackEndpoint(options.stack, options);
  }
  if (env.OUTPOST_ENDPOINT) {
    return apiUrl(env.OUTPOST_ENDPOINT, 'OUTPOST_ENDPOINT');
  }
  if (config.endpoint !== undefined) {
    return apiUrl(config.endpoint, 'the config profile\'s endpoint');
  }
  if (config.stack !== undefined) {
    return stackEndpoint(config.stack, options);
  }
  throw new UsageError(NO_ENDPOINT);
}

/** An http(s) URL, or a usage error naming where the value came from. */
function apiUrl(value: string, source: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new UsageError(`${source} "${value}" is not an http(s) URL: expected the platform stack's ApiUrl output, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/`);
  }
  return value;
}

async function stackEndpoint(stack: string, options: EndpointOptions): Promise<string> {
  const cloudFormation = new CloudFormationClient({ region: options.region, profile: options.profile });
  try {
    const { Stacks: [found] = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stack }));
    return apiUrlOutput(stack, found?.Outputs ?? []);
  } catch (error) {
    // The SDK's own words ("Region is missing") say nothing of how to give one.
    if (error instanceof Error && error.message === 'Region is missing') {
      throw new UsageError(`--stack ${stack}: no Region to find the stack in: pass --region REGION (the stack's Region), set AWS_REGION, or give the AWS profile a region (aws configure set region REGION)`);
    }
    if (error instanceof Error && error.name === 'CredentialsProviderError') {
      throw new MissingCredentialsError(options.profile, error);
    }
    throw error;
  }
}

/** The one `ApiUrl` output of a stack's outputs; a stack with none, or with two platforms, cannot say which. */
export function apiUrlOutput(stack: string, outputs: readonly Output[]): string {
  const found = outputs.filter((output) => API_URL_OUTPUT.test(output.OutputKey ?? '') && output.OutputValue);
  if (found.length === 1) {
    return found[0].OutputValue!;
  }
  if (found.length === 0) {
    throw new UsageError(`stack ${stack} has no ApiUrl output: is it the stack that holds the OutpostPlatform? Pass --endpoint URL instead`);
  }
  throw new UsageError(`stack ${stack} has ${found.length} ApiUrl outputs (${found.map((output) => output.OutputKey).join(', ')}): pass --endpoint with one of their values`);
}
