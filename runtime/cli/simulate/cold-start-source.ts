import * as fs from 'node:fs';
import { CloudWatchError, cloudWatchColdStarts } from './cloudwatch-cold-starts';
import { parseMeasuredColdStarts, type MeasuredColdStarts } from '../../core/pool/simulator/measured-cold-starts';
import type { Cli, GlobalOptions } from '../cli';
import { UsageError } from '../exit';
import { readConfigProfile } from '../settings/config-file';
import { credentialChain } from '../settings/credentials';
import { sdkRegion } from '../settings/region';

/** `--cold-starts cloudwatch`: the platform's measured cold starts, rather than a file. */
export const CLOUDWATCH_SOURCE = 'cloudwatch';

/** What to do instead when CloudWatch cannot be read: the fix, or the file form. */
const OR_A_FILE = 'or pass --cold-starts FILE, a JSON file of { "<agent>": [seconds...] }';

/**
 * The measured cold starts of `agents`: from the platform's `ColdStartSeconds` metric of the last `days` days
 * (`cloudwatch`, with the caller's AWS credentials and Region, as the other commands sign), or from a JSON file.
 */
export async function measuredColdStarts(
  cli: Cli, globals: GlobalOptions, source: string, agents: readonly string[], days: number,
): Promise<MeasuredColdStarts> {
  if (source !== CLOUDWATCH_SOURCE) {
    return coldStartFile(source);
  }
  const config = readConfigProfile(cli.io.env, globals.configProfile);
  const awsProfile = globals.profile ?? config.awsProfile;
  const region = globals.region ?? config.region ?? await sdkRegion(awsProfile);
  if (!region) {
    throw new UsageError(`--cold-starts cloudwatch: no Region to read the metrics in: pass --region REGION (the platform's), set AWS_REGION, or put "region" in the config profile; ${OR_A_FILE}`);
  }
  const endpoint = cli.io.env.AWS_ENDPOINT_URL_CLOUDWATCH ?? cli.io.env.AWS_ENDPOINT_URL;
  try {
    return await cloudWatchColdStarts(agents, { region, endpoint, credentials: credentialChain(awsProfile), days, now: new Date() });
  } catch (error) {
    if (error instanceof CloudWatchError) {
      const hint = /AccessDenied|UnauthorizedOperation|NotAuthorized/.test(error.type)
        ? 'your AWS identity needs cloudwatch:GetMetricStatistics (e.g. the CloudWatchReadOnlyAccess managed policy)'
        : 'is the Region the platform\'s?';
      throw new Error(`--cold-starts cloudwatch: ${error.message}\n${hint}; ${OR_A_FILE}`, { cause: error });
    }
    if (error instanceof TypeError || (error instanceof Error && error.name === 'TimeoutError')) {
      throw new Error(`--cold-starts cloudwatch: CloudWatch in ${region} did not answer (${error.message}): check the network, --region and AWS_ENDPOINT_URL_CLOUDWATCH; ${OR_A_FILE}`, { cause: error });
    }
    throw error;
  }
}

/** The file form, or a usage error naming what is wrong with it. */
function coldStartFile(file: string): MeasuredColdStarts {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--cold-starts ${file}: cannot read it (${(error as Error).message}): give "cloudwatch" or a JSON file of { "<agent>": [seconds...] }`);
  }
  try {
    return parseMeasuredColdStarts(JSON.parse(text), file);
  } catch (error) {
    throw new UsageError(error instanceof SyntaxError ? `--cold-starts ${file} is not valid JSON: ${error.message}` : `--cold-starts ${(error as Error).message}`);
  }
}
