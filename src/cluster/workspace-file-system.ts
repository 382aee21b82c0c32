import { Arn, ArnFormat, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeFindings } from '../core/acknowledge';

/** Props for {@link WorkspaceFileSystem}. */
export interface WorkspaceFileSystemProps {
  readonly vpc: ec2.IVpc;
  /** Subnets for the mount targets: those the agent tasks run in. */
  readonly subnets: ec2.SubnetSelection;
  /** What happens to the file system when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** Tag put on every access point the platform creates, naming its file system. */
export const ACCESS_POINT_OWNER_TAG = 'outpost:file-system-id';

/** What a file-system client may do; each is authorized by IAM when the client mounts. */
const CLIENT_ACTIONS = ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'];

/**
 * Persistent workspaces: an encrypted EFS file system with automatic backups and a lifecycle to Infrequent
 * Access. Clients must use IAM and TLS, and mount through an access point: each user's workspace is one,
 * created at run time, whose root is the workspace's directory and whose POSIX user is the workspace owner's.
 */
export class WorkspaceFileSystem extends Construct {
  public readonly fileSystem: efs.FileSystem;
  /** Reachable only from agent tasks, on NFS (2049). */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The roles granted root through an access point of their own (`grantRootThrough`): no other may act as root. */
  private readonly rootRoleArns: string[] = [];

  constructor(scope: Construct, id: string, props: WorkspaceFileSystemProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Outpost workspaces file system: NFS from agent tasks only',
      allowAllOutbound: false,
    });
    this.fileSystem = new efs.FileSystem(this, 'FileSystem', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroup: this.securityGroup,
      encrypted: true,
      enableAutomaticBackups: true,
      lifecyclePolicy: efs.LifecyclePolicy.AFTER_30_DAYS,
      outOfInfrequentAccessPolicy: efs.OutOfInfrequentAccessPolicy.AFTER_1_ACCESS,
      performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
      throughputMode: efs.ThroughputMode.ELASTIC,
      allowAnonymousAccess: false,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.fileSystem.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyUnencryptedTransport',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['*'],
      conditions: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
    // Without an access point a client would see the whole file system, every user's workspaces, as whichever
    // uid it claims. Applies to every principal, the account's administrators included.
    this.fileSystem.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyMountWithoutAccessPoint',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: CLIENT_ACTIONS,
      conditions: { Null: { 'elasticfilesystem:AccessPointArn': 'true' } },
    }));
    acknowledgeFindings(this.fileSystem, {
      id: 'NIST.800.53.R5-EFSInBackupPlan',
      reason: 'Automatic backups are on: AWS Backup\'s default EFS plan backs it up daily (aws/efs/automatic-backup-vault).',
    });
  }

  public get fileSystemId(): string {
    return this.fileSystem.fileSystemId;
  }

  /** Mount and write through an access point: for agent task roles. */
  public grantMount(grantee: iam.IGrantable): iam.Grant {
    return this.fileSystem.grant(grantee, 'elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite');
  }

  /**
   * Create, describe and delete this file system's access points (one per user and workspace): for the
   * control plane. Deletion is limited to access points tagged as this file system's.
   */
  public grantAccessPointManagement(grantee: iam.IGrantable): iam.Grant {
    return this.grantAccessPointCreation(grantee).combine(this.grantAccessPointDeletion(grantee));
  }

  /** Create and describe this file system's access points, tagging them as they are created. */
  public grantAccessPointCreation(grantee: iam.IGrantable): iam.Grant {
    const create = iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticfilesystem:CreateAccessPoint', 'elasticfilesystem:DescribeAccessPoints'],
      resourceArns: [this.fileSystem.fileSystemArn],
    });
    const tagOnCreate = iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticfilesystem:TagResource'],
      resourceArns: [this.accessPointArns()],
      conditions: { StringEquals: { 'elasticfilesystem:CreateAction': 'CreateAccessPoint' } },
    });
    return create.combine(tagOnCreate);
  }

  /** Delete access points tagged as this file system's (`ACCESS_POINT_OWNER_TAG`), and no others. */
  public grantAccessPointDeletion(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticfilesystem:DeleteAccessPoint'],
      resourceArns: [this.accessPointArns()],
      conditions: { StringEquals: { [`aws:ResourceTag/${ACCESS_POINT_OWNER_TAG}`]: this.fileSystem.fileSystemId } },
    });
  }

  /**
   * Mount, write and act as root through one access point only: for a maintenance function (the workspace
   * cleaner) whose access point imposes uid 0. The file system policy then denies root to every other role.
   */
  public grantRootThrough(grantee: iam.IGrantable, accessPoint: efs.IAccessPoint): iam.Grant {
    const roleArn = (grantee.grantPrincipal as Partial<iam.IRole>).roleArn;
    if (!roleArn) {
      throw new Error('grantRootThrough needs a role (the function\'s `role`): root access is denied to every other role by ARN');
    }
    this.denyRootToOthers(roleArn);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: CLIENT_ACTIONS,
      resourceArns: [this.fileSystem.fileSystemArn],
      conditions: { StringEquals: { 'elasticfilesystem:AccessPointArn': accessPoint.accessPointArn } },
    });
  }

  /**
   * The file system policy CDK writes with `allowAnonymousAccess: false` allows ClientWrite and ClientRootAccess
   * to any principal that comes through a mount target, and a resource policy's allow needs no identity policy
   * beside it: any role of the account (an agent task's, which holds ClientMount) could mount the root access
   * point and act as root on every user's workspace. An explicit denial wins over that allow: no role but those
   * given root may act as root. (The denial cannot name the access point too: the access point refers to the
   * file system, whose policy would then refer back to it. Mounted without root access, the root access point
   * squashes to an anonymous uid, which cannot enter a workspace: their directories are 0700, their owner's.)
   */
  private denyRootToOthers(roleArn: string): void {
    if (this.rootRoleArns.length === 0) {
      this.fileSystem.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'DenyRootAccessToOtherRoles',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['elasticfilesystem:ClientRootAccess'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => this.rootRoleArns }) } },
      }));
    }
    this.rootRoleArns.push(roleArn);
  }

  /** Access points are named by ids EFS gives them: a grant on them is a pattern. */
  private accessPointArns(): string {
    return Arn.format({ service: 'elasticfilesystem', resource: 'access-point', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, Stack.of(this));
  }
}
