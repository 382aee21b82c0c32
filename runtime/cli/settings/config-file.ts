import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../exit';

/** One named profile of the config file: what a user would otherwise pass on every command line. */
const PROFILE = z.strictObject({
  endpoint: z.string().optional(),
  stack: z.string().optional(),
  region: z.string().optional(),
  /** The AWS profile (of ~/.aws/config) to sign with: `--profile`. */
  awsProfile: z.string().optional(),
  timeoutSeconds: z.number().int().min(1).max(3600).optional(),
});
const CONFIG = z.strictObject({ profiles: z.record(z.string(), PROFILE) });

export type ConfigProfile = z.infer<typeof PROFILE>;

/** The profile used when neither `--config-profile` nor OUTPOST_PROFILE names one. */
export const DEFAULT_CONFIG_PROFILE = 'default';

/** `OUTPOST_CONFIG`, else `$XDG_CONFIG_HOME/outpost/config.json`, else `~/.config/outpost/config.json`. */
export function configFilePath(env: NodeJS.ProcessEnv): string {
  if (env.OUTPOST_CONFIG) {
    return env.OUTPOST_CONFIG;
  }
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'outpost', 'config.json');
}

/**
 * The named profile of the config file; `{}` when no file exists and no profile was asked for. A profile asked
 * for by name must exist, and a file that is not valid is refused naming the field, both as usage errors.
 */
export function readConfigProfile(env: NodeJS.ProcessEnv, requested: string | undefined): ConfigProfile {
  const file = configFilePath(env);
  const name = requested ?? (env.OUTPOST_PROFILE || undefined);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && name === undefined) {
      return {};
    }
    throw new UsageError(`config profile ${name}: cannot read ${file}: ${(error as Error).message}`);
  }
  const config = parseConfig(file, text);
  const profile = config.profiles[name ?? DEFAULT_CONFIG_PROFILE];
  if (profile === undefined && name !== undefined) {
    const known = Object.keys(config.profiles);
    throw new UsageError(`config profile ${name} is not in ${file} (it has: ${known.length > 0 ? known.join(', ') : 'none'})`);
  }
  return profile ?? {};
}

function parseConfig(file: string, text: string): z.infer<typeof CONFIG> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const parsed = CONFIG.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message} (expected {"profiles": {"NAME": {"endpoint", "stack", "region", "awsProfile", "timeoutSeconds"}}})`);
  }
  return parsed.data;
}
