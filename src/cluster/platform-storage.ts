import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ArtifactsBucket } from './artifacts-bucket';
import { PlatformTables } from './platform-tables';
import { WorkspaceFileSystem } from './workspace-file-system';
import { SecureVpc } from '../network/secure-vpc';

/** Props for {@link PlatformStorage}. */
export interface PlatformStorageProps {
  /** The network the workspaces file system's mount targets live in; its agent tasks may mount it. */
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
 * What runs leave behind and what the platform remembers: the platform's tables, the artifacts bucket and the
 * workspaces file system. The ECS cluster the runs happen in is {@link OutpostCluster}.
 */
export class PlatformStorage extends Construct {
  /** The dispatches, pool, audit and workspaces tables. */
  public readonly tables: PlatformTables;
  /** Run artifacts (uploads, results) and their access logs. */
  public readonly artifacts: ArtifactsBucket;
  /** The EFS file system persistent workspaces live on. */
  public readonly workspaces: WorkspaceFileSystem;

  constructor(scope: Construct, id: string, props: PlatformStorageProps) {
    super(scope, id);
    const { network } = props;

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
}
