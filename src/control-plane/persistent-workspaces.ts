import { Arn, ArnFormat, Duration, Names, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ACCESS_POINT_REQUESTS } from './workspace-provisioner-filters';
import { AgentFleet } from '../agents/agent-fleet';
import { OutpostCluster } from '../cluster/outpost-cluster';
import { PlatformStorage } from '../cluster/platform-storage';
import { acknowledgeFindings } from '../core/acknowledge';
import { PlatformFunction, PlatformFunctionProps } from '../core/platform-function';
import { SecureVpc } from '../network/secure-vpc';

/** Where the worker mounts a persistent workspace: its default (runtime/worker/config.ts), also set explicitly. */
export const PERSISTENT_WORKSPACE_PATH = '/mnt/workspace';
/** Where the workspace cleaner mounts the file system's `/workspaces`. */
const CLEANER_MOUNT_PATH = '/mnt/workspaces';
/** The cleaner's longest run: removing a large tree on EFS is slow, and a retry continues where it stopped. */
const CLEANER_TIMEOUT = Duration.minutes(15);

/** The props every control-plane function shares, which the lifecycle gives these functions too. */
export type FunctionDefaults = Omit<PlatformFunctionProps, 'handler' | 'description' | 'synchronousOnly'>;

/** Props for {@link PersistentWorkspaces}. */
export interface PersistentWorkspacesProps {
  readonly network: SecureVpc;
  readonly cluster: OutpostCluster;
  /** The platform's tables, artifacts bucket and workspaces file system. */
  readonly storage: PlatformStorage;
  readonly agents: AgentFleet;
  readonly eventBus: events.IEventBus;
  readonly functionDefaults: FunctionDefaults;
  /** `workspaceFamilyPrefix(lifecycle)`, which the handlers' configuration carries too. */
  readonly familyPrefix: string;
}

/**
 * The family prefix of workspace task definitions: unique to this platform, so that its IAM grants (RunTask,
 * RegisterTaskDefinition) reach no other task definition. At most 64 characters, leaving room for
 * `-<agent>-<uid>-<name>` within ECS's 255.
 */
export function workspaceFamilyPrefix(lifecycle: Construct): string {
  return `${Names.uniqueResourceName(lifecycle, { maxLength: 61 })}-ws`;
}

/**
 * Persistent workspaces (docs/control-plane.md): the `GET /workspaces` and `DELETE /workspaces/{name}` handler,
 * the cleaner that deletes a deleted workspace's access point, task definitions, files and item, and the
 * provisioner that makes access points on first use. The lifecycle's functions get what they do with
 * workspaces from its `grantXxx` methods (take, launch on, give back). Agent task roles may mount the file
 * system (its policy allows it only through an access point); each workspace's task definition names its own.
 */
export class PersistentWorkspaces extends Construct {
  /** `GET /workspaces`, `DELETE /workspaces/{name}`. */
  public readonly manage: PlatformFunction;
  /** Deletes a deleted workspace's access point, task definitions, directory and item, on its `Workspace Deleted` event. */
  public readonly cleaner: PlatformFunction;
  /** Makes the access points the starter asks for, from the workspaces table's stream. */
  public readonly provisioner: PlatformFunction;
  private readonly props: PersistentWorkspacesProps;

  constructor(scope: Construct, id: string, props: PersistentWorkspacesProps) {
    super(scope, id);
    this.props = props;
    const { storage, agents, functionDefaults } = props;
    const workspaces = storage.workspaces;
    const table = storage.tables.workspaces;

    this.manage = new PlatformFunction(this, 'Manage', {
      ...functionDefaults,
      handler: 'workspaces',
      description: 'Outpost: GET /workspaces, DELETE /workspaces/{name}',
      synchronousOnly: true,
    });
    this.cleaner = this.createCleaner(props);
    this.provisioner = this.createProvisioner(props);

    // Listing and deleting: marking the item (a stale lock does not stop it), the announcement and its audit
    // record. The cleaner deletes the rest on the announcement.
    storage.tables.grantItems(this.manage.role, [table], 'GetItem', 'Query', 'UpdateItem');
    storage.tables.grantItems(this.manage.role, [storage.tables.dispatches], 'GetItem');
    props.eventBus.grantPutEventsTo(this.manage.function);
    storage.tables.grantAuditAppend(this.manage.function);

    for (const agent of agents.agents) {
      workspaces.grantMount(agents.taskDefinition(agent.kind).taskRole);
    }
    this.acknowledge();
  }

  /** Take a workspace at `POST /dispatch`: the user's uid and the workspace's item (its table only). */
  public grantTake(grantee: iam.IGrantable): iam.Grant {
    return this.props.storage.tables.grantItems(grantee, [this.props.storage.tables.workspaces], 'GetItem', 'PutItem', 'UpdateItem');
  }

  /**
   * Launch runs on workspaces (the starter): read and mark the workspace's item, clone the agent's task
   * definition into the workspace's own family (this platform's prefix only) on first use, and run tasks of
   * those families in the cluster.
   */
  public grantLaunch(grantee: iam.IGrantable): iam.Grant {
    const { cluster, storage, familyPrefix } = this.props;
    const familyArns = Arn.format({ service: 'ecs', resource: 'task-definition', resourceName: `${familyPrefix}-*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, Stack.of(this));
    const allow = (actions: string[], resources: string[], conditions?: Record<string, Record<string, unknown>>) =>
      iam.Grant.addToPrincipal({ grantee, actions, resourceArns: resources, conditions });
    const grant = storage.tables.grantItems(grantee, [storage.tables.workspaces], 'GetItem', 'UpdateItem')
      .combine(allow(['ecs:DescribeTaskDefinition'], ['*']))
      .combine(allow(['ecs:RegisterTaskDefinition'], [familyArns]))
      .combine(allow(['ecs:TagResource'], [familyArns], { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } }))
      .combine(allow(['ecs:RunTask'], [familyArns], { ArnEquals: { 'ecs:cluster': cluster.cluster.clusterArn } }));
    if (Construct.isConstruct(grantee.grantPrincipal)) {
      const findings: Array<[string, string]> = [
        [`AwsSolutions-IAM5[Resource::${familyArnFinding(familyPrefix)}]`,
          'Workspace task definitions are registered at run time, one family per workspace and agent; the statements cover only this platform\'s family prefix.'],
        ['AwsSolutions-IAM5[Resource::*]',
          'ecs:DescribeTaskDefinition takes no resource-level permissions (Service Authorization Reference); it reads the agent\'s task definition to clone it.'],
      ];
      for (const [id, reason] of findings) {
        acknowledgeFindings(grantee.grantPrincipal, { id, reason });
      }
    }
    return grant;
  }

  /** Give workspaces back (when a run's task stops, when a dispatch ends without a task): a conditional update. */
  public grantRelease(grantee: iam.IGrantable): iam.Grant {
    return this.props.storage.tables.grantItems(grantee, [this.props.storage.tables.workspaces], 'UpdateItem');
  }

  /**
   * The cleaner mounts `/workspaces` through an access point of its own that acts as root (uid 0, with
   * ClientRootAccess), the only way to remove every user's files; it runs in its own security group, which
   * alone (with agent tasks) reaches the file system.
   */
  private createCleaner(props: PersistentWorkspacesProps): PlatformFunction {
    const workspaces = props.storage.workspaces;
    const accessPoint = workspaces.fileSystem.addAccessPoint('CleanerAccessPoint', {
      path: '/workspaces',
      createAcl: { ownerUid: '0', ownerGid: '0', permissions: '711' },
      posixUser: { uid: '0', gid: '0' },
    });
    const securityGroup = new ec2.SecurityGroup(this, 'CleanerSecurityGroup', {
      vpc: props.network.vpc,
      description: 'Outpost workspace cleaner: NFS to the workspaces file system, HTTPS to DynamoDB',
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs');
    // ECS has an interface endpoint (by default), which answers only the security groups it is told of.
    props.network.allowEndpointsFrom(securityGroup);
    workspaces.fileSystem.connections.allowDefaultPortFrom(securityGroup, 'NFS from the workspace cleaner');

    const cleaner = new PlatformFunction(this, 'Cleaner', {
      ...props.functionDefaults,
      handler: 'workspace-cleaner',
      description: 'Outpost: deletes the access points, task definitions and files of deleted workspaces',
      synchronousOnly: false,
      securityGroup,
      timeout: CLEANER_TIMEOUT,
      filesystem: new AccessPointMount({
        localMountPath: CLEANER_MOUNT_PATH,
        arn: accessPoint.accessPointArn,
        dependency: [workspaces.fileSystem.mountTargetsAvailable],
        connections: workspaces.fileSystem.connections,
      }),
      environment: { ...props.functionDefaults.environment, OUTPOST_WORKSPACES_MOUNT: CLEANER_MOUNT_PATH },
    });
    workspaces.grantRootThrough(cleaner.role, accessPoint);
    props.storage.tables.grantItems(cleaner.role, [props.storage.tables.workspaces], 'GetItem', 'DeleteItem');
    workspaces.grantAccessPointDeletion(cleaner.role);
    cleaner.role.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:ListTaskDefinitions', 'ecs:DeregisterTaskDefinition'], resources: ['*'] }));

    new events.Rule(this, 'WorkspaceDeleted', {
      description: 'Outpost: finish deleting a workspace',
      eventBus: props.eventBus,
      eventPattern: { source: ['outpost.workspace'], detailType: ['Workspace Deleted'] },
      targets: [new targets.LambdaFunction(cleaner.function, { deadLetterQueue: cleaner.deadLetterQueue, retryAttempts: 8 })],
    });
    return cleaner;
  }

  /**
   * The workspace provisioner: the access point of a workspace the starter found without one, made from the
   * workspaces table's stream (filtered to such workspaces), which then brings the dispatch back to the starter.
   */
  private createProvisioner(props: PersistentWorkspacesProps): PlatformFunction {
    const { storage } = props;
    const provisioner = new PlatformFunction(this, 'Provisioner', {
      ...props.functionDefaults,
      handler: 'workspace-provisioner',
      description: 'Outpost: makes the access points of persistent workspaces on first use',
      synchronousOnly: false,
    });
    storage.workspaces.grantAccessPointCreation(provisioner.role);
    storage.tables.grantItems(provisioner.role, [storage.tables.workspaces, storage.tables.dispatches], 'UpdateItem');
    provisioner.readStream(storage.tables.workspaces, { batchSize: 10, retryAttempts: 5, filters: [...ACCESS_POINT_REQUESTS] });
    return provisioner;
  }

  private acknowledge(): void {
    const accessPoints = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticfilesystem:<AWS::Region>:<AWS::AccountId>:access-point/*]';
    const findings: Array<[PlatformFunction, string, string]> = [
      [this.provisioner, accessPoints,
        'Access points get their ids when created; tagging is allowed only as part of CreateAccessPoint (elasticfilesystem:CreateAction).'],
      [this.cleaner, 'AwsSolutions-IAM5[Resource::*]',
        'ecs:ListTaskDefinitions and ecs:DeregisterTaskDefinition take no resource-level permissions; the cleaner deregisters only the families of the workspace it deletes.'],
      [this.cleaner, accessPoints, 'Access points get their ids when created; deletion is limited to those tagged with this file system\'s id.'],
    ];
    for (const [handler, id, reason] of findings) {
      acknowledgeFindings(handler.role, { id, reason });
    }
  }
}

/**
 * A Lambda mount of an EFS access point that grants nothing itself: `FileSystem.fromEfsAccessPoint` grants
 * ClientMount on every file system ("*"); the cleaner's grant (`grantRootThrough`) names this one.
 */
class AccessPointMount extends lambda.FileSystem {
  constructor(config: lambda.FileSystemConfig) {
    super(config);
  }
}

/** How cdk-nag names the family-prefix ARN in a finding. */
function familyArnFinding(prefix: string): string {
  return `arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task-definition/${prefix}-*`;
}
