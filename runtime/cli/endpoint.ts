import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { UsageError } from './exit';

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

/** Where the API is: `--endpoint`, else `OUTPOST_ENDPOINT`, else the `--stack`'s `ApiUrl` output. */
export async function resolveEndpoint(options: EndpointOptions, env: NodeJS.ProcessEnv): Promise<string> {
  const given = options.endpoint ?? env.OUTPOST_ENDPOINT;
  if (given) {
    return given;
  }
  if (!options.stack) {
    throw new UsageError('no API endpoint: pass --endpoint URL, set OUTPOST_ENDPOINT, or name the platform stack with --stack NAME');
  }
  const cloudFormation = new CloudFormationClient({ region: options.region, profile: options.profile });
  const { Stacks: [stack] = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: options.stack }));
  return apiUrlOutput(options.stack, stack?.Outputs ?? []);
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
