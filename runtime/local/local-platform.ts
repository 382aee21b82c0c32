import * as fs from 'fs';
import * as path from 'path';
import { LocalHttpApi, type Authenticate, type Authorize } from './api/http-api';
import { RuleRouter } from './events/rule-router';
import { ratePeriodMs, scheduledEvent } from './events/schedule';
import { AsyncInvoker } from './functions/async-invoker';
import { FunctionHost, type InvocationOutcome, type LocalFunction } from './functions/function-host';
import { PatternMatcher } from './moto/pattern-matcher';
import { deployTemplate } from './provision/deploy';
import type { Deployment } from './provision/deployment';
import { motoClients, type MotoClients } from './provision/resource-creators';
import { rolePolicies, type RolePolicies } from './provision/role-policies';
import { StreamRouter } from './streams/stream-router';
import { TableStream } from './streams/table-stream';
import type { Intrinsics, PseudoParameters } from './template/intrinsics';
import type { CfnTemplate } from './template/template';
import { readWiring, wiringCounts, type PlatformWiring } from './template/wiring';

/** The AWS endpoint and credentials a function's code gets: what its role may do, and nothing more. */
export interface FunctionAws {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * How Outpost Local authenticates and authorizes: the credentials each role's functions get (through the IAM
 * gate, which enforces the role's policies), and the HTTP API's signature check and `execute-api:Invoke`
 * decision for callers.
 */
export interface LocalSecurity {
  readonly authenticate: Authenticate;
  readonly authorize: Authorize;
  credentialsFor(role: RolePolicies): FunctionAws;
}

export interface LocalPlatformOptions {
  /** The cloud assembly folder `cdk synth` wrote (the template and its `asset.<hash>` folders). */
  readonly assembly: string;
  /** The stack's name in the assembly (`<name>.template.json`). */
  readonly stackName: string;
  /** moto's endpoint; moto is started and stopped by the caller. */
  readonly motoEndpoint: string;
  /** The Python that runs moto (for moto's pattern engine). */
  readonly python: string;
  readonly pseudo: PseudoParameters;
  /** Where buckets are reached (see CreateContext.bucketDomain). @default S3's own names */
  readonly bucketDomain?: (bucket: string) => string;
  /** Variables every function gets besides its own and Lambda's (NODE_EXTRA_CA_CERTS: the local TLS fronts' CA). */
  readonly functionEnvironment?: Readonly<Record<string, string>>;
  /** Made once the template is deployed, with each role's policies. */
  readonly security: (deployment: DeployedPlatform) => Promise<LocalSecurity>;
  readonly log: (line: string) => void;
  /** How often the stream and rule routers poll moto. @default 200 ms */
  readonly pollIntervalMs?: number;
  /** Run scheduled rules on their own timers; tests tick them instead. @default true */
  readonly runSchedules?: boolean;
}

/** What the deploy made, for the security and the ECS emulation to build on. */
export interface DeployedPlatform {
  readonly template: CfnTemplate;
  readonly wiring: PlatformWiring;
  readonly deployment: Deployment;
  readonly intrinsics: Intrinsics;
  readonly roles: readonly RolePolicies[];
  readonly clients: MotoClients;
  readonly pseudo: PseudoParameters;
}

/**
 * The platform as its synthesized template wires it, on one machine: the template deployed into moto, each
 * function's real bundled handler in its own process with the template's environment and its role's
 * credentials, the HTTP API's routes, the EventBridge rules (matched by moto), the DynamoDB stream mappings
 * (filtered by moto's engine) and the schedules, all read from the template.
 */
export class LocalPlatform {
  public static async start(options: LocalPlatformOptions): Promise<LocalPlatform> {
    const template = JSON.parse(fs.readFileSync(path.join(options.assembly, `${options.stackName}.template.json`), 'utf8')) as CfnTemplate;
    const wiring = readWiring(template);
    const clients = motoClients(options.motoEndpoint, options.pseudo.region);
    const { deployment, intrinsics } = await deployTemplate(template, clients, options.pseudo, options.bucketDomain);
    const roles = rolePolicies(template, intrinsics);
    const deployed: DeployedPlatform = { template, wiring, deployment, intrinsics, roles, clients, pseudo: options.pseudo };
    const security = await options.security(deployed);
    const platform = new LocalPlatform(deployed, options);
    await platform.wire(security);
    return platform;
  }

  public readonly hosts = new Map<string, FunctionHost>();
  private readonly asyncInvokers = new Map<string, AsyncInvoker>();
  private readonly streams: StreamRouter[] = [];
  private rules?: RuleRouter;
  private api?: LocalHttpApi;
  private readonly matcher: PatternMatcher;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly pollers: Array<{ poll(): Promise<number> }> = [];
  private polling?: Promise<void>;
  private passes: Promise<void> = Promise.resolve();
  private stopped = false;

  private constructor(public readonly deployed: DeployedPlatform, private readonly options: LocalPlatformOptions) {
    this.matcher = PatternMatcher.start(options.python);
  }

  /** The HTTP API's base URL, `http://127.0.0.1:<port>/`. */
  public get endpoint(): string {
    return this.api!.endpoint;
  }

  /** The HTTP API's id, as `execute-api:Invoke` resources name it. */
  public get apiId(): string {
    const routes = this.deployed.wiring.routes;
    return routes.length === 0 ? 'none' : this.apiIdOf(routes[0].logicalId);
  }

  /** How many wirings of each kind were read from the template and are served. */
  public get counts(): Record<string, number> {
    return wiringCounts(this.deployed.wiring);
  }

  /** A function by its logical id. */
  public host(logicalId: string): FunctionHost {
    const host = this.hosts.get(logicalId);
    if (!host) {
      throw new Error(`the template has no function ${logicalId}`);
    }
    return host;
  }

  /**
   * Lambda's Invoke for a function of the template, by name or ARN: `RequestResponse` answers the outcome,
   * `Event` runs it through its async settings (retries, on-failure destination) and answers at once.
   */
  public async invokeByName(nameOrArn: string, payload: unknown, invocationType: 'RequestResponse' | 'Event'): Promise<InvocationOutcome | undefined> {
    const name = nameOrArn.split(':function:').pop()!.split(':')[0];
    const host = [...this.hosts.values()].find((candidate) => candidate.fn.name === name);
    if (!host) {
      return undefined;
    }
    if (invocationType === 'Event') {
      void this.asyncInvokers.get(host.fn.logicalId)!.invoke(payload);
      return { ok: true, result: null, durationMs: 0 };
    }
    return host.invoke(payload);
  }

  /** Something else to poll with the routers on each pass (the ECS emulation). */
  public addPoller(poller: { poll(): Promise<number> }): void {
    this.pollers.push(poller);
  }

  /** Runs a scheduled rule's targets now, as its schedule would. */
  public async runSchedule(logicalId: string): Promise<void> {
    const schedule = this.deployed.wiring.schedules.find((candidate) => candidate.logicalId === logicalId);
    if (!schedule) {
      throw new Error(`the template has no scheduled rule ${logicalId}`);
    }
    const ruleArn = this.deployed.deployment.require(logicalId).attributes.Arn;
    const event = scheduledEvent(ruleArn, this.deployed.pseudo.accountId, this.deployed.pseudo.region);
    await Promise.all(schedule.targets.map((target) => {
      const payload = target.input === undefined ? event : JSON.parse(target.input);
      return this.asyncInvokers.get(target.function)!.invoke(payload);
    }));
  }

  /** One pass of every router: stream records and matched events delivered, their invocations finished. */
  public async poll(): Promise<number> {
    // One pass at a time: two readers of a stream at once would deliver its records twice.
    const pass = this.passes.then(() => this.pass());
    this.passes = pass.then(() => undefined, () => undefined);
    return pass;
  }

  private async pass(): Promise<number> {
    let delivered = 0;
    for (const stream of this.streams) {
      delivered += await stream.poll();
    }
    delivered += await this.rules!.poll();
    await this.rules!.settled();
    for (const poller of this.pollers) {
      delivered += await poller.poll();
    }
    return delivered;
  }

  /** Polls until a pass delivers nothing: everything the last action set off has run. */
  public async settle(maxPasses = 50): Promise<void> {
    for (let pass = 0; pass < maxPasses; pass++) {
      if (await this.poll() === 0) {
        return;
      }
    }
    throw new Error(`the platform did not settle within ${maxPasses} passes`);
  }

  public async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach((timer) => clearInterval(timer));
    await this.polling;
    await this.api?.stop();
    this.matcher.stop();
    await Promise.all([...this.hosts.values()].map((host) => host.stop()));
  }

  private async wire(security: LocalSecurity): Promise<void> {
    const { wiring, deployment, intrinsics, roles, clients, pseudo } = this.deployed;
    const roleOf = new Map(roles.map((role) => [role.logicalId, role]));
    for (const fn of wiring.functions) {
      const role = roleOf.get(fn.role);
      if (!role) {
        throw new Error(`${fn.logicalId}: its role ${fn.role} is not an AWS::IAM::Role of the template`);
      }
      const aws = security.credentialsFor(role);
      const name = deployment.require(fn.logicalId).ref;
      const resolved = intrinsics.resolve(fn.environment) as Record<string, unknown>;
      const environment = Object.fromEntries(Object.entries(resolved).map(([key, value]) => [key, String(value)]));
      const local: LocalFunction = {
        logicalId: fn.logicalId,
        name,
        arn: deployment.require(fn.logicalId).attributes.Arn,
        file: this.handlerFile(fn.codeKey, fn.handler),
        exportName: fn.handler.split('.').pop()!,
        timeoutSeconds: fn.timeoutSeconds,
        memoryMiB: fn.memoryMiB,
        environment: {
          ...environment,
          AWS_REGION: pseudo.region,
          AWS_DEFAULT_REGION: pseudo.region,
          AWS_ENDPOINT_URL: aws.endpoint,
          AWS_ACCESS_KEY_ID: aws.accessKeyId,
          AWS_SECRET_ACCESS_KEY: aws.secretAccessKey,
          ...(aws.sessionToken ? { AWS_SESSION_TOKEN: aws.sessionToken } : {}),
          AWS_LAMBDA_FUNCTION_NAME: name,
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMiB),
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
          NODE_OPTIONS: '--enable-source-maps',
          ...this.options.functionEnvironment,
        },
      };
      this.hosts.set(fn.logicalId, new FunctionHost(local, (owner, line) => this.options.log(`[${owner.logicalId}] ${line}`)));
    }
    for (const settings of wiring.asyncInvokes) {
      const queue = settings.onFailure === undefined ? undefined : deployment.require(settings.onFailure).ref;
      this.asyncInvokers.set(settings.function, new AsyncInvoker(this.host(settings.function), settings, clients.sqs, queue, this.options.log));
    }
    for (const mapping of wiring.streamMappings) {
      const table = deployment.require(mapping.table).ref;
      const router = new StreamRouter({
        mapping,
        stream: await TableStream.of(clients.dynamodb, table, this.options.motoEndpoint),
        host: this.host(mapping.function),
        matcher: this.matcher,
        sqs: clients.sqs,
        onFailureQueueUrl: mapping.onFailure === undefined ? undefined : deployment.require(mapping.onFailure).ref,
        log: this.options.log,
      });
      if (mapping.startingPosition === 'LATEST') {
        await router.skipToLatest();
      }
      this.streams.push(router);
    }
    this.rules = await RuleRouter.create(clients.events, clients.sqs, wiring.rules.map((rule) => ({
      wiring: rule,
      name: deployment.require(rule.logicalId).ref,
      bus: rule.eventBus === undefined ? undefined : deployment.require(rule.eventBus).ref,
      pattern: intrinsics.resolve(rule.eventPattern),
      invokers: Object.fromEntries(rule.targets.map((target) => [target.id, this.asyncInvokers.get(target.function)!])),
    })));
    this.api = await LocalHttpApi.start({
      api: { apiId: this.apiId, accountId: pseudo.accountId, region: pseudo.region },
      routes: wiring.routes.map((route) => ({ wiring: route, host: this.host(route.function) })),
      authenticate: security.authenticate,
      authorize: security.authorize,
      log: this.options.log,
    });
    this.startTimers();
  }

  private startTimers(): void {
    const interval = this.options.pollIntervalMs ?? 200;
    const loop = async () => {
      while (!this.stopped) {
        try {
          await this.poll();
        } catch (error) {
          this.options.log(`polling: ${(error as Error).message}`);
        }
        await new Promise((resolve) => setTimeout(resolve, interval));
      }
    };
    this.polling = loop();
    if (this.options.runSchedules ?? true) {
      for (const schedule of this.deployed.wiring.schedules.filter((candidate) => candidate.enabled)) {
        this.timers.push(setInterval(() => {
          void this.runSchedule(schedule.logicalId).catch((error) => this.options.log(`${schedule.logicalId}: ${(error as Error).message}`));
        }, ratePeriodMs(schedule.expression)));
      }
    }
  }

  /** The API id a route's `ApiId` names. */
  private apiIdOf(routeLogicalId: string): string {
    return this.deployed.intrinsics.string(this.deployed.template.Resources[routeLogicalId].Properties?.ApiId, `${routeLogicalId} ApiId`);
  }

  /** The bundled handler: the asset folder `asset.<hash>` of the function's `<hash>.zip`, and the handler's module. */
  private handlerFile(codeKey: string, handler: string): string {
    const folder = path.join(this.options.assembly, `asset.${codeKey.replace(/\.zip$/, '')}`);
    const file = path.join(folder, `${handler.slice(0, handler.lastIndexOf('.'))}.js`);
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing: the assembly at ${this.options.assembly} lacks the function's asset (synthesize it again)`);
    }
    return file;
  }
}
