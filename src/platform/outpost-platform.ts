import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Agent } from '../agents/agent';
import { AgentFleet } from '../agents/agent-fleet';
import { ProviderKeyRotationOptions } from '../agents/provider-key-rotation';
import { ProviderKeyRotator } from '../agents/provider-key-rotator';
import { OutpostCluster } from '../cluster/outpost-cluster';
import { PlatformStorage } from '../cluster/platform-storage';
import { budgetConfig } from '../control-plane/budget-config';
import { ApiThrottling, ControlPlaneApi, JwtAuthorizerOptions } from '../control-plane/control-plane-api';
import { DispatchBudgetOptions } from '../control-plane/dispatch-budget';
import { DispatchLifecycle } from '../control-plane/dispatch-lifecycle';
import { GitCredentials } from '../control-plane/git-credentials';
import { createPlatformKey } from '../core/encryption';
import { retainProviderLogs } from '../core/provider-logs';
import { LedgerBridge, LedgerOptions } from '../ledger/ledger-bridge';
import { createAlarmTopic } from '../monitoring/alarm-topic';
import { MonitoringOptions } from '../monitoring/monitoring-options';
import { PlatformMonitoring } from '../monitoring/platform-monitoring';
import { EgressAllowList } from '../network/egress-allow-list';
import { SecureVpc, VpcEndpointOptions } from '../network/secure-vpc';
import { WarmPools } from '../pool/warm-pools';

/**
 * Props for {@link OutpostPlatform}. Every prop is optional: `new OutpostPlatform(this, 'Outpost')` is a whole platform.
 * `defaultMaxCostUsd` and `maxCostUsdLimit` set spending limits per dispatch (docs/costs.md, "Budgets").
 */
export interface OutpostPlatformProps extends DispatchBudgetOptions {
  /** Run in this existing VPC instead of creating one. @default - a new VPC (see {@link SecureVpc}) */
  readonly vpc?: ec2.IVpc;
  /** Subnets for tasks and functions in an existing `vpc`. @default - its private subnets with egress */
  readonly taskSubnets?: ec2.SubnetSelection;
  /** Availability Zones of a new VPC (at least 2). @default 2 */
  readonly maxAzs?: number;
  /** NAT gateways of a new VPC; use one per AZ in production. @default 1 */
  readonly natGateways?: number;
  /** Interface endpoints to create. @default - all on for a new VPC, none for an existing one */
  readonly vpcEndpoints?: VpcEndpointOptions;
  /**
   * Restrict the domains agent tasks can resolve, e.g. `EgressAllowList.defaults()`. List what the agents' work
   * needs (git hosts, registries): the platform adds the model API of each configured agent's provider itself
   * (none for Claude on Bedrock), which only the worker's model gateway calls.
   * @default - no DNS filtering
   */
  readonly egressAllowList?: EgressAllowList;
  /** How long run artifacts are kept. @default Duration.days(30) */
  readonly artifactRetention?: Duration;
  /** Encrypt artifacts with this KMS key. @default - S3-managed keys */
  readonly artifactsEncryptionKey?: kms.IKey;
  /** Retention of every platform log group (handlers, API access logs). @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** Retention of the VPC flow logs. @default logs.RetentionDays.THREE_MONTHS */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * What happens to data (tables, file system, buckets, log groups) when the stack is deleted. Keep RETAIN
   * wherever the data matters; DESTROY suits short-lived development stacks.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Request limits for the control plane API. @default - 50 requests per second, bursts of 100 */
  readonly apiThrottling?: ApiThrottling;
  /** Authorize API callers by JWT from an OIDC issuer instead of AWS IAM (SigV4). @default - AWS IAM */
  readonly jwtAuthorizer?: JwtAuthorizerOptions;
  /**
   * The agents to run, each with its own options (model, task size, warm pool), e.g.
   * `[Agent.claude({ useBedrock: true, warmPool: { minIdle: 1 } }), Agent.codex()]`.
   * @default Agent.all() - Claude Code, Codex CLI, Gemini CLI, Aider and Grok (through opencode) with their defaults
   */
  readonly agents?: Agent[];
  /**
   * How agents get a short-lived credential for private repositories, e.g.
   * `GitCredentials.githubApp({ appId, privateKey })`. Only the control plane reads the secret; the token reaches
   * a worker in its assignment alone.
   * @default - no credentials: public repositories only
   */
  readonly gitCredentials?: GitCredentials;
  /**
   * The repositories callers may dispatch to, as `host/owner/repo` patterns (`*` within a segment), e.g.
   * `['github.com/acme/*']`. With a GitHub App, this is what keeps a dispatcher from a `contents: write` token
   * for any repository of the installation. `grantDispatch(grantee, { repositories })` narrows it per principal.
   * @default - any repository
   */
  readonly allowedRepositories?: string[];
  /**
   * Roles whose session names identify people (their trust policy fixes the session name): each session owns
   * its own dispatches. Any other role's sessions are one owner. See `ControlPlaneApiProps.personalSessionRoles`.
   * @default - none besides IAM Identity Center's (`AWSReservedSSO_*`)
   */
  readonly personalSessionRoles?: iam.IRole[];
  /**
   * Send alarms and notifications (key rotations, spend) to this topic instead of a new one.
   * @default - a new topic encrypted with the platform key (see `alarmTopic`)
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * How the provider API key secrets the platform creates rotate, e.g.
   * `{ automaticallyAfter: Duration.days(30), openai: ProviderKeyRotation.openAiServiceAccount({ adminKey, projectId }) }`.
   * @default - every 90 days, each key created by an operator when asked (ProviderKeyRotation.manual())
   */
  readonly providerKeyRotation?: ProviderKeyRotationOptions;
  /** Alarm thresholds and the dashboard's name. @default - see {@link MonitoringOptions} */
  readonly monitoring?: MonitoringOptions;
  /**
   * What the cost ledger uses and does besides pricing every dispatch (docs/costs.md): prices, forwarding of
   * `DispatchCost` events to another bus, daily spend alarms per agent.
   * @default - list prices, no forwarding, no spend alarm
   */
  readonly ledger?: LedgerOptions;
}

/**
 * The whole Outpost platform in one construct: network, cluster, storage and control plane for running AI
 * coding agents as isolated, single-use Fargate tasks.
 *
 * @example
 * new OutpostPlatform(this, 'Outpost');
 */
export class OutpostPlatform extends Construct {
  public readonly network: SecureVpc;
  /** The ECS cluster runs happen in. */
  public readonly cluster: OutpostCluster;
  /** The platform's tables, artifacts bucket and workspaces file system. */
  public readonly storage: PlatformStorage;
  public readonly controlPlane: ControlPlaneApi;
  public readonly agents: AgentFleet;
  /** The handlers that run dispatches from request to result. */
  public readonly lifecycle: DispatchLifecycle;
  /** Each agent's warm pool of idle workers (configured by the agent's `warmPool` option), and their scaler. */
  public readonly warmPools: WarmPools;
  /** The platform's event bus: dispatch state changes (`outpost.dispatch`) and cost events (`outpost.ledger`). */
  public readonly eventBus: events.EventBus;
  /** Encrypts the platform's log groups, secrets, image repositories and build output. */
  public readonly encryptionKey: kms.Key;
  /** Where every alarm and operator notification goes: subscribe your on-call channel to it. */
  public readonly alarmTopic: sns.ITopic;
  /** Rotates the provider API key secrets: its function, schedule and failure alarms (`metricRotationFailures`). */
  public readonly keyRotation: ProviderKeyRotator;
  /** The dashboard and the alarms (API, every handler and dead-letter queue, the scaler, stuck dispatches). */
  public readonly monitoring: PlatformMonitoring;
  /** What every run cost: the `DispatchCost` events, the totals behind `GET /ledger`, the spend alarms. */
  public readonly ledger: LedgerBridge;

  constructor(scope: Construct, id: string, props: OutpostPlatformProps = {}) {
    super(scope, id);
    budgetConfig('OutpostPlatform', props);
    this.encryptionKey = createPlatformKey(this, 'Key');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.alarmTopic = props.alarmTopic ?? createAlarmTopic(this, 'Alarms', this.encryptionKey);

    this.eventBus = new events.EventBus(this, 'Events', { description: 'Outpost: dispatch lifecycle and cost events' });

    // The model gateway of each agent's worker calls its provider: those hosts, and no others, join the list.
    const agents = props.agents ?? Agent.all();
    const providers = [...new Set(agents.filter((agent) => !agent.bedrockModel).map((agent) => agent.provider))];
    this.network = new SecureVpc(this, 'Network', {
      vpc: props.vpc,
      taskSubnets: props.taskSubnets,
      maxAzs: props.maxAzs,
      natGateways: props.natGateways,
      endpoints: props.vpcEndpoints,
      egressAllowList: props.egressAllowList?.withModelProviders(providers),
      flowLogRetention: props.flowLogRetention,
      logEncryptionKey: this.encryptionKey,
      removalPolicy,
    });

    this.cluster = new OutpostCluster(this, 'Cluster', { network: this.network });
    this.storage = new PlatformStorage(this, 'Storage', {
      network: this.network,
      artifactRetention: props.artifactRetention,
      artifactsEncryptionKey: props.artifactsEncryptionKey,
      removalPolicy,
    });

    this.controlPlane = new ControlPlaneApi(this, 'ControlPlane', {
      network: this.network,
      storage: this.storage,
      logEncryptionKey: this.encryptionKey,
      logRetention: props.logRetention,
      throttling: props.apiThrottling,
      jwtAuthorizer: props.jwtAuthorizer,
      allowedRepositories: props.allowedRepositories,
      personalSessionRoles: props.personalSessionRoles,
      removalPolicy,
    });

    this.keyRotation = new ProviderKeyRotator(this, 'KeyRotation', {
      vpc: this.network.vpc,
      subnets: this.network.taskSubnets,
      securityGroup: this.network.controlPlaneSecurityGroup,
      encryptionKey: this.encryptionKey,
      alarmTopic: this.alarmTopic,
      rotation: props.providerKeyRotation,
      logRetention: props.logRetention,
      removalPolicy,
    });

    this.agents = new AgentFleet(this, 'Agents', {
      agents,
      encryptionKey: this.encryptionKey,
      workerPort: this.network.workerPort,
      logRetention: props.logRetention,
      removalPolicy,
      keyRotator: this.keyRotation,
    });

    this.lifecycle = new DispatchLifecycle(this, 'Lifecycle', {
      api: this.controlPlane,
      network: this.network,
      cluster: this.cluster,
      storage: this.storage,
      agents: this.agents,
      eventBus: this.eventBus,
      encryptionKey: this.encryptionKey,
      gitCredentials: props.gitCredentials,
      defaultMaxCostUsd: props.defaultMaxCostUsd,
      maxCostUsdLimit: props.maxCostUsdLimit,
      modelPricing: props.ledger?.pricing,
      logRetention: props.logRetention,
      removalPolicy,
    });

    this.warmPools = new WarmPools(this, 'Pools', {
      network: this.network,
      cluster: this.cluster,
      storage: this.storage,
      agents: this.agents,
      lifecycle: this.lifecycle,
    });

    this.ledger = new LedgerBridge(this, 'Ledger', {
      ...props.ledger,
      storage: this.storage,
      agents: this.agents,
      lifecycle: this.lifecycle,
      api: this.controlPlane,
      eventBus: this.eventBus,
      alarmTopic: this.alarmTopic,
      removalPolicy,
    });

    const providerLogs = { encryptionKey: this.encryptionKey, retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS, removalPolicy };
    const vpc = this.network.vpc.node;
    retainProviderLogs(vpc.tryFindChild('RestrictDefaultSecurityGroupCustomResource'), 'Custom::VpcRestrictDefaultSGCustomResourceProvider', providerLogs);
    for (const bucket of [this.storage.artifacts.bucket, this.storage.artifacts.accessLogsBucket]) {
      retainProviderLogs(bucket.node.tryFindChild('AutoDeleteObjectsCustomResource'), 'Custom::S3AutoDeleteObjectsCustomResourceProvider', providerLogs);
    }

    // It finds every platform function of the platform at synthesis (an aspect), wherever it is created.
    this.monitoring = new PlatformMonitoring(this, 'Monitoring', {
      ...props.monitoring,
      alarmTopic: this.alarmTopic,
      api: this.controlPlane.api,
      agents: this.agents.agents.map((agent) => agent.kind),
      warmPools: this.warmPools,
    });
  }
}
