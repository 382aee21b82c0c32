import { Arn, ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

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
    Validations.of(this.fileSystem).acknowledge({
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
   * cleaner) whose access point imposes uid 0.
   */
  public grantRootThrough(grantee: iam.IGrantable, accessPoint: efs.IAccessPoint): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: CLIENT_ACTIONS,
      resourceArns: [this.fileSystem.fileSystemArn],
      conditions: { StringEquals: { 'elasticfilesystem:AccessPointArn': accessPoint.accessPointArn } },
    });
  }

  /** Access points are named by ids EFS gives them: a grant on them is a pattern. */
  private accessPointArns(): string {
    return Arn.format({ service: 'elasticfilesystem', resource: 'access-point', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, Stack.of(this));
  }
}
