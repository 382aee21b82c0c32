import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ArtifactsBucket } from './artifacts-bucket';
import { PlatformTables } from './platform-tables';
import { acknowledgeClusterTasks, grantOnClusterTasks } from './worker-grants';
import { WorkspaceFileSystem } from './workspace-file-system';
import { SecureVpc } from '../network/secure-vpc';

/** Props for {@link OutpostCluster}. */
export interface OutpostClusterProps {
  /** The network the cluster's tasks and file system live in. */
  readonly network: SecureVpc;
  /** How long run artifacts are kept. @default Duration.days(30) */
  readonly artifactRetention?: Duration;
  /** Encrypt artifacts with this KMS key. @default - S3-managed keys (SSE-S3) */
  readonly artifactsEncryptionKey?: kms.IKey;
  /**
   * What happens to data (tables, file system, buckets) when the stack is deleted. Use DESTROY only for
   * environments whose data can be thrown away.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Where runs happen and what they leave behind: an ECS cluster with Fargate and Fargate Spot capacity and
 * Container Insights, the workspaces file system, the artifacts bucket and the platform's tables.
 */
export class OutpostCluster extends Construct {
  public readonly cluster: ecs.Cluster;
  public readonly workspaces: WorkspaceFileSystem;
  public readonly artifacts: ArtifactsBucket;
  public readonly tables: PlatformTables;

  constructor(scope: Construct, id: string, props: OutpostClusterProps) {
    super(scope, id);
    const { network } = props;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: network.vpc,
      enableFargateCapacityProviders: true,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    this.workspaces = new WorkspaceFileSystem(this, 'Workspaces', {
      vpc: network.vpc,
      subnets: network.taskSubnets,
      removalPolicy: props.removalPolicy,
    });
    network.allowAgentsToMount(this.workspaces.securityGroup);

    this.artifacts = new ArtifactsBucket(this, 'Artifacts', {
      retention: props.artifactRetention,
      encryptionKey: props.artifactsEncryptionKey,
      removalPolicy: props.removalPolicy,
    });

    this.tables = new PlatformTables(this, 'Tables', { removalPolicy: props.removalPolicy });
  }

  /**
   * Stop the cluster's tasks (ecs:StopTask on its tasks, only in this cluster): for the control plane's
   * functions that end a run.
   */
  public grantTaskStop(grantee: iam.IGrantable): iam.Grant {
    const grant = grantOnClusterTasks(grantee, this.cluster, ['ecs:StopTask']);
    const principal = grantee.grantPrincipal as iam.IRole;
    if (Construct.isConstruct(principal) && principal.roleArn) {
      acknowledgeClusterTasks(principal, this.cluster);
    }
    return grant;
  }
}
