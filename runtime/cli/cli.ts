import type { Command } from 'commander';
import { resolveEndpoint } from './endpoint';
import { UsageError } from './exit';
import { Spinner } from './output/spinner';
import { Style } from './output/style';
import { progressFetch } from './output/waiting';
import { readConfigProfile, type ConfigProfile } from './settings/config-file';
import { credentialChain } from './settings/credentials';
import { sdkRegion } from './settings/region';
import { signingRegion, type OutpostClientOptions } from '../client/options';
import { OutpostAdminClient } from '../client/outpost-admin-client';
import { OutpostClient } from '../client/outpost-client';

/** The options every command takes (program-level, accepted before or after the command's name). */
export interface GlobalOptions {
  readonly endpoint?: string;
  readonly stack?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly json?: boolean;
  readonly configProfile?: string;
  readonly timeoutSeconds?: number;
}

/** Where a command writes and what it reads: the process's own, or a test's. */
export interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
}

/** A command's body: its arguments as commander passes them, the command last; returns its exit code. */
export type CommandBody = (...args: any[]) => Promise<number | void>;

/** How long one API call may take, retries included, unless `--timeout-seconds` or the config profile says. */
export const DEFAULT_TIMEOUT_SECONDS = 30;

/** What every command shares: options, the API client, output to stdout (results) and stderr (progress, notes). */
export class Cli {
  public exitCode = 0;
  public readonly style: Style;
  public readonly spinner: Spinner;

  constructor(public readonly io: Io) {
    this.style = Style.for(io.stdout, io.env);
    this.spinner = new Spinner(io.stderr);
  }

  /** Commander's action for a command body, recording its exit code. */
  public action(body: CommandBody): (...args: any[]) => Promise<void> {
    return async (...args) => {
      this.exitCode = (await body(...args)) ?? 0;
    };
  }

  public globals(command: Command): GlobalOptions {
    return command.optsWithGlobals<GlobalOptions>();
  }

  /** A client of the API the options name, signing with the AWS credential chain (of `--profile`, when given). */
  public async client(command: Command): Promise<OutpostClient> {
    return new OutpostClient(await this.clientOptions(command));
  }

  /** The same, and the endpoint it calls: for a command that reports where it looked (`outpost doctor`). */
  public async clientWithEndpoint(command: Command): Promise<{ readonly client: OutpostClient; readonly endpoint: string }> {
    const options = await this.clientOptions(command);
    return { client: new OutpostClient(options), endpoint: options.endpoint };
  }

  /** The same, for the `/admin/...` routes (the caller needs the platform's `grantAdmin`). */
  public async adminClient(command: Command): Promise<OutpostAdminClient> {
    return new OutpostAdminClient(await this.clientOptions(command));
  }

  /** Options on the command line first, then the config profile's (`--config-profile`, OUTPOST_PROFILE, or `default`). */
  private async clientOptions(command: Command): Promise<OutpostClientOptions> {
    const options = this.globals(command);
    const config: ConfigProfile = readConfigProfile(this.io.env, options.configProfile);
    const awsProfile = options.profile ?? config.awsProfile;
    const given = options.region ?? config.region;
    const endpoint = await resolveEndpoint({ ...options, region: given, profile: awsProfile }, this.io.env, config);
    const region = given ?? (hasRegion(endpoint, this.io.env) ? undefined : await sdkRegion(awsProfile));
    if (!hasRegion(endpoint, this.io.env, region)) {
      throw new UsageError(`no Region to sign requests for: ${endpoint} does not name one (only execute-api host names do); pass --region REGION, set AWS_REGION, or put "region" in the config profile`);
    }
    const timeoutSeconds = options.timeoutSeconds ?? config.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    return {
      endpoint,
      region,
      credentials: credentialChain(awsProfile),
      // One bound for the whole call, retries included: an API that never answers fails in this time, not in minutes.
      timeoutMs: timeoutSeconds * 1000,
      totalTimeoutMs: timeoutSeconds * 1000,
      fetch: progressFetch(this, timeoutSeconds),
    };
  }

  /** A result, on stdout. */
  public print(text: string): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** A result for scripts: one JSON document, or one line of a stream of them. */
  public printJson(value: unknown, line = false): void {
    this.io.stdout.write(`${line ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);
  }

  /** Progress and remarks for the person at the terminal, on stderr, so that stdout stays the result. */
  public note(text: string): void {
    this.spinner.stop();
    this.io.stderr.write(`${text}\n`);
  }
}

/** Whether requests to `endpoint` have a Region to be signed for: given, in its host name, or in the environment. */
function hasRegion(endpoint: string, env: NodeJS.ProcessEnv, region?: string): boolean {
  try {
    signingRegion({ endpoint, region }, env);
    return true;
  } catch {
    return false;
  }
}
