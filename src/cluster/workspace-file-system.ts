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

/**
 * Persistent workspaces: an encrypted EFS file system with automatic backups and a lifecycle to Infrequent
 * Access. Clients must use IAM and TLS; each user's workspace is an access point created at run time.
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
    const accessPoints = Arn.format({ service: 'elasticfilesystem', resource: 'access-point', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, Stack.of(this));
    const create = iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticfilesystem:CreateAccessPoint', 'elasticfilesystem:DescribeAccessPoints'],
      resourceArns: [this.fileSystem.fileSystemArn],
    });
    const tagOnCreate = iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticfilesystem:TagResource'],
      resourceArns: [accessPoints],
      conditions: { StringEquals: { 'elasticfilesystem:CreateAction': 'CreateAccessPoint' } },
    });
    const remove = iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticfilesystem:DeleteAccessPoint'],
      resourceArns: [accessPoints],
      conditions: { StringEquals: { [`aws:ResourceTag/${ACCESS_POINT_OWNER_TAG}`]: this.fileSystem.fileSystemId } },
    });
    return create.combine(tagOnCreate).combine(remove);
  }
}
