import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { CredentialsServer } from './credentials-server';
import type { AgentName } from '../contracts/agent-names';
import { EcsEmulator } from './ecs/ecs-emulator';
import { SandboxLauncher, type TaskReach } from './ecs/sandbox-launcher';
import type { Credentials } from './iam/gate-credentials';
import { startIamGate, type IamGate } from './iam/iam-gate';
import { GIT_HOSTNAME, GitServer } from './kit/git-server';
import { gatewayUpstream } from './kit/providers/gateway-upstream';
import { httpsFront, type HttpsFront } from './kit/providers/https-front';
import { scratchDirectory } from './kit/scratch';
import type { CloudFormationTemplate } from './kit/task-conditions';
import { LocalPlatform } from './local-platform';
import { gateSecurity } from './local-security';
import { providerOf, startModelStandIn, type StandInEdit } from './model-stand-ins';
import { startMotoProcess, type MotoProcess } from './moto/moto-process';
import { outpostPython } from './moto/python-environment';
import { PROVIDERS } from '../worker/gateway/providers';

export interface OutpostLocalOptions {
  /** The cloud assembly `cdk synth` wrote, and the platform's stack in it. */
  readonly assembly: string;
  readonly stackName: string;
  readonly log: (line: string) => void;
  /** What the stand-in models make each agent do, when no provider key is set. @default a file `OUTPOST_LOCAL.md` */
  readonly edit?: StandInEdit;
  /** Run the template's schedules on their own timers. @default true */
  readonly runSchedules?: boolean;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
/** The token the local git server accepts: put into the platform's git credential secret. */
const GIT_TOKEN_BYTES = 24;
const GIT_INSIDE_PORT = 443;
/** The provider's port inside the sandbox, behind its TLS front. */
const MODEL_INSIDE_PORT = 8443;

/**
 * The whole platform on one machine, wired as its synthesized template wires it (docs/local.md): moto as AWS
 * behind the IAM gate, the template deployed into it, every function's real handler, the HTTP API, the rules,
 * stream mappings and schedules, Fargate played by the sandbox (the real worker and the agent's real CLI), a git
 * server for local repositories, and a stand-in model per provider where no key is set.
 */
export class OutpostLocal {
  public static async start(options: OutpostLocalOptions): Promise<OutpostLocal> {
    const cleanups: Array<() => Promise<unknown>> = [];
    try {
      const python = outpostPython(options.log, options.env);
      const moto = await startMotoProcess(python);
      cleanups.push(() => moto.stop());
      let platform: LocalPlatform | undefined;
      const gate = await startIamGate({
        upstream: moto.endpoint,
        region: REGION,
        accountId: ACCOUNT,
        invoke: async (name, payload, invocationType) => {
          const outcome = await platform!.invokeByName(name, JSON.parse(payload.toString('utf8') || 'null'), invocationType === 'Event' ? 'Event' : 'RequestResponse');
          if (!outcome) {
            throw new Error(`no function ${name} in the template`);
          }
          return outcome.ok
            ? { payload: JSON.stringify(outcome.result ?? null) }
            : { payload: JSON.stringify({ errorType: outcome.errorType, errorMessage: outcome.errorMessage }), functionError: 'Unhandled' };
        },
      });
      cleanups.push(() => gate.stop());
      // S3 path-style behind TLS on loopback: one URL for the worker in its sandbox and for the user's CLI.
      const s3 = await httpsFront({ port: Number(new URL(gate.endpoint).port) });
      cleanups.push(() => s3.stop());
      const credentials = await CredentialsServer.start();
      cleanups.push(() => credentials.stop());
      const git = await GitServer.start('pending');
      cleanups.push(() => git.stop());
      // The local TLS fronts' CAs, trusted by the functions (as Lambda trusts Amazon's) and the user's CLI.
      const caBundle = path.join(scratchDirectory('local-ca'), 'ca.pem');
      fs.writeFileSync(caBundle, `${s3.ca}\n${git.caCertificate}\n`);

      platform = await LocalPlatform.start({
        assembly: options.assembly,
        stackName: options.stackName,
        motoEndpoint: moto.endpoint,
        python,
        pseudo: { region: REGION, accountId: ACCOUNT, stackName: options.stackName },
        bucketDomain: (bucket) => `127.0.0.1:${s3.port}/${bucket}`,
        security: async (deployed) => gateSecurity(gate, deployed),
        log: options.log,
        runSchedules: options.runSchedules,
        functionEnvironment: { NODE_EXTRA_CA_CERTS: caBundle },
      });
      cleanups.push(() => platform!.stop());
      const local = new OutpostLocal(platform, moto, gate, s3, git, credentials, caBundle, options);
      await local.fillGitSecret();
      await local.startEcs();
      cleanups.length = 0;
      return local;
    } catch (error) {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch(() => undefined);
      }
      throw error;
    }
  }

  /** The credentials of the local developer: `execute-api:Invoke` on every route, as `grantAdmin` gives. */
  public readonly developer: Credentials;
  private ecs?: EcsEmulator;
  private readonly standIns = new Map<AgentName, Promise<TaskReach & { stop(): Promise<void> }>>();

  private constructor(
    public readonly platform: LocalPlatform,
    private readonly moto: MotoProcess,
    private readonly gate: IamGate,
    private readonly s3: HttpsFront,
    public readonly git: GitServer,
    private readonly credentials: CredentialsServer,
    private readonly caBundle: string,
    private readonly options: OutpostLocalOptions,
  ) {
    const apiId = platform.apiId;
    this.developer = gate.issueCredentials({
      arn: `arn:aws:iam::${ACCOUNT}:role/OutpostLocalDeveloper`,
      sessionName: 'developer',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/*` }] }],
    });
  }

  /** The HTTP API's base URL. */
  public get endpoint(): string {
    return this.platform.endpoint;
  }

  /** The environment in which the CLI, the typed client and the MCP server reach this platform as the developer. */
  public userEnvironment(): Record<string, string> {
    return {
      OUTPOST_ENDPOINT: this.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: this.developer.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.developer.secretAccessKey,
      AWS_SESSION_TOKEN: this.developer.sessionToken,
      // The artifacts' download URLs are the local S3's, behind a CA made at start.
      NODE_EXTRA_CA_CERTS: this.caBundle,
    };
  }

  /** A repository on the local git server (seeded with `files` on `main`), as a dispatch names it. */
  public createRepository(name: string, files?: Record<string, string>): string {
    this.git.createRepository(name, files);
    return this.git.url(name, GIT_INSIDE_PORT);
  }

  /** What the IAM gate refused lately: a missing grant shows here, as AccessDenied would on AWS. */
  public get denials() {
    return this.gate.denials;
  }

  /**
   * Stops everything it started, in reverse order. Every step runs even when one before it fails (a Ctrl-C in a
   * terminal reaches moto and the sandboxes too, so the tasks' stop can find moto gone): the first failure is
   * rethrown once all have run.
   */
  public async stop(): Promise<void> {
    const steps: Array<() => Promise<unknown>> = [
      async () => this.ecs?.stopAll(),
      () => this.platform.stop(),
      // A stand-in model that failed to start has nothing to stop.
      ...[...this.standIns.values()].map((reach) => async () => (await reach).stop().catch(() => undefined)),
      () => this.git.stop(),
      () => this.credentials.stop(),
      () => this.s3.stop(),
      () => this.gate.stop(),
      () => this.moto.stop(),
    ];
    const failures: unknown[] = [];
    for (const step of steps) {
      await step().catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) {
      throw failures[0];
    }
  }

  /**
   * The platform's git credential, for the local git server: whatever secret the template's git credentials name
   * (OUTPOST_CONFIG's `gitCredentials.secret`) gets the value the server accepts.
   */
  private async fillGitSecret(): Promise<void> {
    const config = this.platformConfig();
    const secret = (config.gitCredentials as { secret?: string; hosts?: string[] } | undefined);
    if (!secret?.secret) {
      this.options.log('the platform has no git credentials: local repositories cannot be pushed to');
      return;
    }
    const { secrets } = this.platform.deployed.clients;
    const read = await secrets.send(new GetSecretValueCommand({ SecretId: secret.secret })).catch(() => undefined);
    const token = read?.SecretString;
    const value = token ?? randomBytes(GIT_TOKEN_BYTES).toString('hex');
    if (token === undefined) {
      await secrets.send(new PutSecretValueCommand({ SecretId: secret.secret, SecretString: value }));
    }
    this.git.rotateToken(value);
  }

  /** OUTPOST_CONFIG as the template gives the control plane's functions. */
  private platformConfig(): Record<string, unknown> {
    for (const host of this.platform.hosts.values()) {
      if (host.fn.environment.OUTPOST_CONFIG) {
        return JSON.parse(host.fn.environment.OUTPOST_CONFIG) as Record<string, unknown>;
      }
    }
    throw new Error('no function of the template has OUTPOST_CONFIG: is this an Outpost platform?');
  }

  private async startEcs(): Promise<void> {
    const { deployed } = this.platform;
    const cluster = String(this.platformConfig().cluster);
    const roleByArn = new Map(deployed.roles.map((role) => [role.arn, role]));
    const launcher = new SandboxLauncher({
      template: deployed.template as unknown as CloudFormationTemplate,
      resolve: (value, name) => deployed.intrinsics.string(value, name),
      ecs: deployed.clients.ecs,
      secrets: deployed.clients.secrets,
      logs: deployed.clients.logs,
      efs: deployed.clients.efs,
      region: REGION,
      aws: {
        hostPort: Number(new URL(this.gate.endpoint).port),
        credentialsHostPort: this.credentials.port,
        credentialsPath: (_task, taskRoleArn) => {
          const role = roleByArn.get(taskRoleArn);
          if (!role) {
            throw new Error(`the task role ${taskRoleArn} is not a role of the template`);
          }
          const issued = this.gate.issueCredentials({ arn: role.arn, sessionName: 'ecs-task', policies: role.documents });
          return this.credentials.register(role.arn, () => issued);
        },
      },
      reach: (agent) => this.reach(agent),
      log: this.options.log,
    });
    this.ecs = new EcsEmulator(deployed.clients.ecs, deployed.clients.events, cluster, launcher, this.options.log);
    this.platform.addPoller(this.ecs);
  }

  /** What a task of `agent` reaches: the git server, the local S3, and its provider (a stand-in without a key). */
  private reach(agent: AgentName): Promise<TaskReach & { stop(): Promise<void> }> {
    let reach = this.standIns.get(agent);
    if (!reach) {
      reach = this.makeReach(agent);
      this.standIns.set(agent, reach);
    }
    return reach;
  }

  private async makeReach(agent: AgentName): Promise<TaskReach & { stop(): Promise<void> }> {
    const shared = {
      git: { hostPort: this.git.port, insidePort: GIT_INSIDE_PORT, hostnames: [GIT_HOSTNAME] },
      s3: { hostPort: this.s3.port, insidePort: this.s3.port },
    };
    const extraCa = `${this.git.caCertificate}\n${this.s3.ca}`;
    const provider = providerOf(agent);
    const keyVariable = PROVIDERS[provider].keyVariable;
    const env = this.options.env ?? process.env;
    if (keyVariable && env[keyVariable]) {
      // A real key: the worker's gateway goes to the provider itself. The sandbox reaches only its named
      // endpoints, so the provider's host must be one; Outpost Local does not forward the internet yet.
      throw new Error(`${keyVariable} is set, but Outpost Local does not yet reach real providers from the sandbox: unset it to use the local stand-in model`);
    }
    const apiKey = await this.taskSecretValue(agent, keyVariable);
    const standIn = await startModelStandIn(agent, apiKey, this.options.edit ?? { file: 'OUTPOST_LOCAL.md', content: '# Written by an agent on Outpost Local\n' });
    const upstream = await gatewayUpstream(provider, standIn, keyVariable ? apiKey : undefined, MODEL_INSIDE_PORT);
    const { [keyVariable ?? '']: _key, ...variables } = upstream.env;
    return {
      endpoints: { ...shared, ...upstream.endpoints },
      // The key itself comes from the task's secret, as ECS injects it; the stand-in accepts that value.
      env: variables,
      extraCa: `${extraCa}\n${upstream.extraCa}`,
      stop: async () => {
        await upstream.stop();
        await standIn.stop();
      },
    };
  }

  /** The value the task's provider secret holds (what ECS injects as `keyVariable`). */
  private async taskSecretValue(agent: AgentName, keyVariable: string | undefined): Promise<string> {
    if (!keyVariable) {
      return '';
    }
    const agents = this.platformConfig().agents as Record<string, { providerSecret?: { arn: string } }>;
    const secretId = agents[agent]?.providerSecret?.arn;
    if (!secretId) {
      throw new Error(`the platform's configuration names no provider secret for ${agent}`);
    }
    const { SecretString } = await this.platform.deployed.clients.secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
    return SecretString ?? '';
  }
}
