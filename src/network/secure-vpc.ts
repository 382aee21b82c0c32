import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AgentEgressFirewall } from './agent-egress-firewall';
import { EgressAllowList } from './egress-allow-list';
import { acknowledgeFindings } from '../core/acknowledge';
import { createEncryptedLogGroup, createPlatformKey } from '../core/encryption';
import { requireIntegerInRange, requireProp } from '../core/validation';

/**
 * Which interface endpoints to create. Each costs an hourly fee per AZ; without one, that traffic leaves
 * through the NAT gateway instead. Gateway endpoints (S3, DynamoDB) are free and always created.
 */
export interface VpcEndpointOptions {
  /** ECR API and Docker registry endpoints, used to pull agent images. @default true */
  readonly ecr?: boolean;
  /** CloudWatch Logs endpoint, used by tasks and functions to ship logs. @default true */
  readonly cloudWatchLogs?: boolean;
  /** Secrets Manager endpoint, used to inject provider API keys into tasks. @default true */
  readonly secretsManager?: boolean;
  /** ECS API endpoint, used by the control plane to start and stop tasks. @default true */
  readonly ecs?: boolean;
}

/** Props for {@link SecureVpc}. */
export interface SecureVpcProps {
  /**
   * An existing VPC to use instead of creating one. Outpost then adds only its security groups (and the
   * egress firewall when asked); endpoints and flow logs stay the VPC owner's choice.
   * @default - a new VPC
   */
  readonly vpc?: ec2.IVpc;
  /** Subnets for agent tasks and in-VPC functions, in an existing VPC. @default - private subnets with egress */
  readonly taskSubnets?: ec2.SubnetSelection;
  /** IPv4 range of a new VPC. @default '10.80.0.0/16' */
  readonly cidr?: string;
  /** Availability Zones of a new VPC, at least 2. @default 2 */
  readonly maxAzs?: number;
  /**
   * NAT gateways of a new VPC. One is cheapest, but every AZ's egress then depends on one AZ: use one per AZ
   * (`maxAzs`) in production.
   * @default 1
   */
  readonly natGateways?: number;
  /** Interface endpoints to create. @default - all on for a new VPC, none for an existing one */
  readonly endpoints?: VpcEndpointOptions;
  /** Retention of the VPC flow logs. @default logs.RetentionDays.THREE_MONTHS */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * Restrict the domains agents can resolve (Route 53 Resolver DNS Firewall on the whole VPC).
   * @default - no DNS filtering
   */
  readonly egressAllowList?: EgressAllowList;
  /** The port the in-container worker listens on. @default 8080 */
  readonly workerPort?: number;
  /** Key for the flow log group. @default - a new customer-managed key with rotation */
  readonly logEncryptionKey?: kms.IKey;
  /** What happens to the flow log group when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The IPv4 range of a new VPC unless `cidr` says otherwise. */
const DEFAULT_CIDR = '10.80.0.0/16';
const DEFAULT_WORKER_PORT = 8080;
const DNS_PORT = 53;

/**
 * The platform's network: a VPC over at least two AZs (public subnets hold only NAT gateways; tasks and
 * functions run in private subnets), endpoints that keep AWS traffic off the internet, one-minute flow
 * logs, and the two security groups that fence agent tasks in.
 */
export class SecureVpc extends Construct {
  public readonly vpc: ec2.IVpc;
  /** Where agent tasks and in-VPC functions run. */
  public readonly taskSubnets: ec2.SubnetSelection;
  /**
   * Agent tasks: no ingress but the control plane on the worker port; egress only HTTPS, SSH (git),
   * DNS to the VPC resolver, and NFS to file systems that allow it.
   */
  public readonly agentSecurityGroup: ec2.SecurityGroup;
  /** The control plane's in-VPC functions: HTTPS out, and the worker port into agent tasks. */
  public readonly controlPlaneSecurityGroup: ec2.SecurityGroup;
  /** The port the in-container worker listens on. */
  public readonly workerPort: number;
  /** The flow log group, when this construct created the VPC. */
  public readonly flowLogGroup?: logs.ILogGroup;
  /** The DNS firewall, when an egress allow-list was given. */
  public readonly egressFirewall?: AgentEgressFirewall;
  /** The interface endpoints' security group, when there are any. */
  private readonly endpointSecurityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: SecureVpcProps = {}) {
    super(scope, id);
    validate(props);

    this.workerPort = props.workerPort ?? DEFAULT_WORKER_PORT;
    this.taskSubnets = props.taskSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    if (props.vpc) {
      this.vpc = props.vpc;
    } else {
      const vpc = this.createVpc(props);
      this.flowLogGroup = this.addFlowLogs(vpc, props);
      this.vpc = vpc;
    }
    this.agentSecurityGroup = new ec2.SecurityGroup(this, 'AgentSecurityGroup', {
      vpc: this.vpc,
      description: 'Outpost agent tasks: worker port from the control plane only; HTTPS, SSH, DNS and NFS out',
      allowAllOutbound: false,
    });
    this.agentSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to model APIs, git hosts and registries');
    this.agentSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'git over SSH');
    // Only the VPC's own resolver: a resolver outside would bypass the DNS firewall.
    this.agentSecurityGroup.addEgressRule(ec2.Peer.ipv4(this.vpc.vpcCidrBlock), ec2.Port.tcp(DNS_PORT), 'DNS to the VPC resolver');
    this.agentSecurityGroup.addEgressRule(ec2.Peer.ipv4(this.vpc.vpcCidrBlock), ec2.Port.udp(DNS_PORT), 'DNS to the VPC resolver');

    this.controlPlaneSecurityGroup = new ec2.SecurityGroup(this, 'ControlPlaneSecurityGroup', {
      vpc: this.vpc,
      description: 'Outpost control plane functions: HTTPS out, worker port to agent tasks',
      allowAllOutbound: false,
    });
    this.controlPlaneSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs and git hosts');
    this.controlPlaneSecurityGroup.connections.allowTo(this.agentSecurityGroup, ec2.Port.tcp(this.workerPort), 'Push assignments to workers');

    this.addGatewayEndpoints(props);
    this.endpointSecurityGroup = this.addInterfaceEndpoints(props.endpoints ?? {}, props.vpc !== undefined);

    if (props.egressAllowList) {
      this.egressFirewall = new AgentEgressFirewall(this, 'EgressFirewall', { vpc: this.vpc, allowList: props.egressAllowList });
    }
  }

  /**
   * Let a function with a security group of its own (not the control plane's) reach the interface endpoints
   * over HTTPS: with their private DNS names, its calls to those services go to them. Nothing when there are none.
   */
  public allowEndpointsFrom(client: ec2.ISecurityGroup): void {
    this.endpointSecurityGroup?.addIngressRule(client, ec2.Port.tcp(443), 'HTTPS to AWS APIs');
  }

  /** Let agent tasks reach an NFS file system (EFS) through its security group. */
  public allowAgentsToMount(fileSystem: ec2.IConnectable): void {
    this.agentSecurityGroup.connections.allowTo(fileSystem, ec2.Port.tcp(2049), 'NFS to workspaces');
  }

  private createVpc(props: SecureVpcProps): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? DEFAULT_CIDR),
      maxAzs: props.maxAzs ?? 2,
      natGateways: props.natGateways ?? 1,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        // Public subnets hold NAT gateways only; nothing there needs a public address of its own.
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
    });
    for (const subnet of vpc.publicSubnets) {
      acknowledgeFindings(subnet, {
        id: 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
        reason: 'Public subnets hold only the NAT gateways, which need a default route to the internet gateway; tasks run in private subnets.',
      });
    }
    return vpc;
  }

  private addFlowLogs(vpc: ec2.Vpc, props: SecureVpcProps): logs.ILogGroup {
    const logGroup = createEncryptedLogGroup(this, 'FlowLogs',
      props.logEncryptionKey ?? createPlatformKey(this, 'LogKey'),
      props.flowLogRetention ?? logs.RetentionDays.THREE_MONTHS,
      props.removalPolicy ?? RemovalPolicy.RETAIN);
    const flowLog = vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    });
    acknowledgeFindings(flowLog, {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'The flow log role\'s policy is created by aws-cdk-lib and grants delivery to this one log group only.',
    });
    return logGroup;
  }

  private addGatewayEndpoints(props: SecureVpcProps): void {
    if (props.vpc) {
      return;
    }
    const subnets = [this.taskSubnets];
    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets });
    this.vpc.addGatewayEndpoint('DynamoDB', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets });
  }

  private addInterfaceEndpoints(options: VpcEndpointOptions, existingVpc: boolean): ec2.SecurityGroup | undefined {
    const wanted: Array<[boolean | undefined, string, ec2.InterfaceVpcEndpointAwsService]> = [
      [options.ecr, 'EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
      [options.ecr, 'EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
      [options.cloudWatchLogs, 'CloudWatchLogs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
      [options.secretsManager, 'SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
      [options.ecs, 'Ecs', ec2.InterfaceVpcEndpointAwsService.ECS],
    ];
    // A new VPC gets every endpoint unless switched off; an existing VPC only those asked for.
    const enabled = wanted.filter(([on]) => on ?? !existingVpc);
    if (enabled.length === 0) {
      return undefined;
    }
    // Endpoints answer HTTPS from platform tasks and functions only, not from the whole VPC range.
    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Outpost interface endpoints: HTTPS from agent tasks and control plane functions',
      allowAllOutbound: false,
    });
    for (const client of [this.agentSecurityGroup, this.controlPlaneSecurityGroup]) {
      endpointSecurityGroup.addIngressRule(client, ec2.Port.tcp(443), 'HTTPS to AWS APIs');
    }
    for (const [, id, service] of enabled) {
      this.vpc.addInterfaceEndpoint(id, {
        service, subnets: this.taskSubnets, privateDnsEnabled: true, securityGroups: [endpointSecurityGroup], open: false,
      });
    }
    return endpointSecurityGroup;
  }
}

function validate(props: SecureVpcProps): void {
  const owner = 'SecureVpc';
  requireIntegerInRange(owner, 'maxAzs', props.maxAzs, 2, 6, 'Agents need at least two Availability Zones to survive the loss of one.');
  const azs = props.maxAzs ?? 2;
  requireIntegerInRange(owner, 'natGateways', props.natGateways, 1, azs,
    `Tasks run in private subnets and reach model APIs through NAT: use 1 (cheapest) up to ${azs} (one per AZ, for production).`);
  requireIntegerInRange(owner, 'workerPort', props.workerPort, 1024, 65535, 'The worker runs as a non-root user and cannot bind a port below 1024.');
  if (props.vpc) {
    const newVpcOnly: Array<keyof SecureVpcProps> = ['cidr', 'maxAzs', 'natGateways', 'flowLogRetention'];
    for (const prop of newVpcOnly) {
      requireProp(props[prop] === undefined, owner, prop, 'applies only to a VPC that Outpost creates', 'Remove it, or remove `vpc` to let Outpost create the VPC.');
    }
  } else {
    requireProp(props.taskSubnets === undefined, owner, 'taskSubnets', 'applies only to an existing `vpc`', 'Remove it: a VPC that Outpost creates uses its private subnets.');
  }
  if (props.cidr !== undefined) {
    const prefix = Number(props.cidr.split('/')[1]);
    requireProp(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(props.cidr) && prefix >= 16 && prefix <= 18, owner, 'cidr',
      `must be an IPv4 range from /16 to /18, got "${props.cidr}"`, 'Use a range like "10.80.0.0/16": each AZ needs a /20 private and a /24 public subnet.');
  }
}
