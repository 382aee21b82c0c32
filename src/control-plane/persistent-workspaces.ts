import { Arn, ArnFormat, Duration, Names, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { ACCESS_POINT_REQUESTS } from './workspace-provisioner-filters';
import { AgentFleet } from '../agents/agent-fleet';
import { OutpostCluster } from '../cluster/outpost-cluster';
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
  readonly agents: AgentFleet;
  readonly eventBus: events.IEventBus;
  readonly functionDefaults: FunctionDefaults;
  /** `workspaceFamilyPrefix(lifecycle)`, which the handlers' configuration carries too. */
  readonly familyPrefix: string;
  /** `POST /dispatch`: takes workspaces (their table only). */
  readonly create: PlatformFunction;
  /** The starter: asks for a workspace's access point, registers its task definition on first use, and runs tasks from it. */
  readonly starter: PlatformFunction;
  /** Give workspaces back: when a run's task stops, and when a dispatch ends without a task. */
  readonly taskStopped: PlatformFunction;
  readonly outbox: PlatformFunction;
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
 * permissions the lifecycle's functions need for workspaces: making access points and task definitions on first
 * use, running tasks on them, giving workspaces back. Agent task roles may mount the file system (its policy allows it only through an access
 * point); each workspace's task definition names its own.
 */
export class PersistentWorkspaces extends Construct {
  /** `GET /workspaces`, `DELETE /workspaces/{name}`. */
  public readonly manage: PlatformFunction;
  /** Deletes a deleted workspace's access point, task definitions, directory and item, on its `Workspace Deleted` event. */
  public readonly cleaner: PlatformFunction;
  /** Makes the access points the starter asks for, from the workspaces table's stream. */
  public readonly provisioner: PlatformFunction;

  constructor(scope: Construct, id: string, props: PersistentWorkspacesProps) {
    super(scope, id);
    const { cluster, agents, functionDefaults } = props;
    const workspaces = cluster.workspaces;
    const table = cluster.tables.workspaces;
    const allow = (handler: PlatformFunction, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      handler.role.addToPolicy(new iam.PolicyStatement({ actions, resources, conditions }));
    const items = (...actions: string[]) => actions.map((action) => `dynamodb:${action}`);

    this.manage = new PlatformFunction(this, 'Manage', {
      ...functionDefaults,
      handler: 'workspaces',
      description: 'Outpost: GET /workspaces, DELETE /workspaces/{name}',
      synchronousOnly: true,
    });
    this.cleaner = this.createCleaner(props);
    this.provisioner = this.createProvisioner(props);

    // First use (create): the user's uid and the workspace's item, its access point, and its task definition
    // for the agent, cloned from the agent's own; then RunTask on it.
    const stack = Stack.of(this);
    const familyArns = Arn.format({ service: 'ecs', resource: 'task-definition', resourceName: `${props.familyPrefix}-*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
    allow(props.create, items('GetItem', 'PutItem', 'UpdateItem'), [table.tableArn]);
    allow(props.starter, items('GetItem', 'UpdateItem'), [table.tableArn]);
    allow(props.starter, ['ecs:DescribeTaskDefinition'], ['*']);
    allow(props.starter, ['ecs:RegisterTaskDefinition'], [familyArns]);
    allow(props.starter, ['ecs:TagResource'], [familyArns], { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } });
    allow(props.starter, ['ecs:RunTask'], [familyArns], { ArnEquals: { 'ecs:cluster': cluster.cluster.clusterArn } });

    // Giving back (task stopped, outbox) is a conditional update.
    for (const releaser of [props.taskStopped, props.outbox]) {
      allow(releaser, items('UpdateItem'), [table.tableArn]);
    }

    // Listing and deleting: marking the item (a stale lock does not stop it), the announcement and its audit
    // record. The cleaner deletes the rest on the announcement.
    allow(this.manage, items('GetItem', 'Query', 'UpdateItem'), [table.tableArn]);
    allow(this.manage, items('GetItem'), [cluster.tables.dispatches.tableArn]);
    props.eventBus.grantPutEventsTo(this.manage.function);
    cluster.tables.grantAuditAppend(this.manage.function);

    for (const agent of agents.agents) {
      workspaces.grantMount(agents.taskDefinition(agent.kind).taskRole);
    }
    this.acknowledge(props);
  }

  /**
   * The cleaner mounts `/workspaces` through an access point of its own that acts as root (uid 0, with
   * ClientRootAccess), the only way to remove every user's files; it runs in its own security group, which
   * alone (with agent tasks) reaches the file system.
   */
  private createCleaner(props: PersistentWorkspacesProps): PlatformFunction {
    const workspaces = props.cluster.workspaces;
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
    cleaner.role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:DeleteItem'], resources: [props.cluster.tables.workspaces.tableArn] }));
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
    const { cluster } = props;
    const provisioner = new PlatformFunction(this, 'Provisioner', {
      ...props.functionDefaults,
      handler: 'workspace-provisioner',
      description: 'Outpost: makes the access points of persistent workspaces on first use',
      synchronousOnly: false,
    });
    cluster.workspaces.grantAccessPointCreation(provisioner.role);
    provisioner.role.addToPolicy(new iam.PolicyStatement({
      actions: ['dynamodb:UpdateItem'],
      resources: [cluster.tables.workspaces.tableArn, cluster.tables.dispatches.tableArn],
    }));
    provisioner.function.addEventSource(new DynamoEventSource(cluster.tables.workspaces, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 10,
      bisectBatchOnError: true,
      retryAttempts: 5,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(provisioner.deadLetterQueue!),
      filters: [...ACCESS_POINT_REQUESTS],
    }));
    return provisioner;
  }

  private acknowledge(props: PersistentWorkspacesProps): void {
    const accessPoints = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticfilesystem:<AWS::Region>:<AWS::AccountId>:access-point/*]';
    const findings: Array<[PlatformFunction, string, string]> = [
      [props.starter, `AwsSolutions-IAM5[Resource::${familyArnFinding(props.familyPrefix)}]`,
        'Workspace task definitions are registered at run time, one family per workspace and agent; the statements cover only this platform\'s family prefix.'],
      [props.starter, 'AwsSolutions-IAM5[Resource::*]',
        'ecs:DescribeTaskDefinition takes no resource-level permissions (Service Authorization Reference); it reads the agent\'s task definition to clone it.'],
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
