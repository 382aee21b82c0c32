import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeFindings } from '../core/acknowledge';
import { requireProp } from '../core/validation';

/** Props for {@link ArtifactsBucket}. */
export interface ArtifactsBucketProps {
  /** How long run artifacts (commits' diffs, logs, `result.json`) are kept. @default Duration.days(30) */
  readonly retention?: Duration;
  /** Encrypt artifacts with this KMS key. @default - S3-managed keys (SSE-S3) */
  readonly encryptionKey?: kms.IKey;
  /** What happens to the buckets when the stack is deleted; DESTROY also empties them. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** Where runs' artifacts live in the bucket, under a folder per dispatch (`artifacts/<id>/…`). */
const ARTIFACTS_PREFIX = 'artifacts/';

/** Objects overwritten or deleted stay recoverable this long. */
const NONCURRENT_RETENTION = Duration.days(7);
/** Server access logs are kept for a year, the usual audit horizon. */
const ACCESS_LOG_RETENTION = Duration.days(365);

/**
 * Where runs leave their artifacts: private, encrypted, TLS-only, versioned, with server access logs, and
 * expiring on a schedule so that storage does not grow without bound.
 */
export class ArtifactsBucket extends Construct {
  public readonly bucket: s3.Bucket;
  /** Receives the artifact bucket's server access logs. */
  public readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ArtifactsBucketProps = {}) {
    super(scope, id);
    // Server access logs are delivered under a bucket policy rather than ACLs, whatever the app's flags say.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    const retention = props.retention ?? Duration.days(30);
    const retentionDays = retention.toDays({ integral: false });
    requireProp(Number.isInteger(retentionDays) && retentionDays >= 1, 'ArtifactsBucket', 'retention',
      `must be a whole number of days, at least one, got ${retention.toHumanString()}`, 'Set it to Duration.days(1) or more: S3 expires objects by whole days.');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const autoDeleteObjects = removalPolicy === RemovalPolicy.DESTROY;

    // Log delivery supports only S3-managed encryption on the target bucket.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: ACCESS_LOG_RETENTION, noncurrentVersionExpiration: NONCURRENT_RETENTION }],
      removalPolicy,
      autoDeleteObjects,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: props.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: props.encryptionKey !== undefined,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'artifacts/',
      lifecycleRules: [{
        expiration: retention,
        noncurrentVersionExpiration: NONCURRENT_RETENTION,
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      removalPolicy,
      autoDeleteObjects,
    });

    for (const bucket of [this.accessLogsBucket, this.bucket]) {
      acknowledgeFindings(bucket, {
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason: 'Artifacts and their access logs are short-lived copies of run output; cross-Region replication is left to the operator.',
      });
    }
    acknowledgeFindings(this.accessLogsBucket, {
      id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
      reason: 'S3 server access log delivery supports only S3-managed keys (SSE-S3) on the target bucket.',
    });
    if (!props.encryptionKey) {
      acknowledgeFindings(this.bucket, {
        id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason: 'Encrypted with S3-managed keys by default; pass `artifactsEncryptionKey` to use a KMS key.',
      });
    }
  }

  /**
   * Sign presigned uploads of run artifacts: a presigned POST carries its signer's permissions, so the signer
   * holds PutObject under `artifacts/` (and GenerateDataKey on the bucket's own key, with which the upload is
   * encrypted), and nothing else of the bucket.
   */
  public grantPresignedUpload(grantee: iam.IGrantable): iam.Grant {
    let grant = iam.Grant.addToPrincipal({ grantee, actions: ['s3:PutObject'], resourceArns: [this.bucket.arnForObjects(`${ARTIFACTS_PREFIX}*`)] });
    if (this.bucket.encryptionKey) {
      grant = grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ['kms:GenerateDataKey'], resourceArns: [this.bucket.encryptionKey.keyArn] }));
    }
    this.acknowledgeArtifactsPattern(grantee);
    return grant;
  }

  /**
   * Read run results: GetObject under `artifacts/`, ListBucket on that prefix (without it a missing `result.json`
   * reads as AccessDenied instead of NoSuchKey), and Decrypt on the bucket's own key.
   */
  public grantResultsRead(grantee: iam.IGrantable): iam.Grant {
    let grant = iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [this.bucket.arnForObjects(`${ARTIFACTS_PREFIX}*`)] }).combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:ListBucket'],
        resourceArns: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': `${ARTIFACTS_PREFIX}*` } },
      }));
    if (this.bucket.encryptionKey) {
      grant = grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ['kms:Decrypt'], resourceArns: [this.bucket.encryptionKey.keyArn] }));
    }
    this.acknowledgeArtifactsPattern(grantee);
    return grant;
  }

  /** Read one dispatch's artifacts (or all, without a prefix). */
  public grantRead(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    return this.bucket.grantRead(grantee, keyPrefix ? `${keyPrefix}*` : undefined);
  }

  /** Write artifacts under a key prefix (or anywhere, without one). */
  public grantWrite(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    return this.bucket.grantPut(grantee, keyPrefix ? `${keyPrefix}*` : undefined);
  }

  /** The grants above name `artifacts/*`: dispatch ids are known only at run time. */
  private acknowledgeArtifactsPattern(grantee: iam.IGrantable): void {
    const principal = grantee.grantPrincipal;
    if (!Construct.isConstruct(principal)) {
      return;
    }
    const bucketId = Stack.of(this).resolve((this.bucket.node.defaultChild as CfnResource).logicalId);
    acknowledgeFindings(principal, {
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${ARTIFACTS_PREFIX}*]`,
      reason: 'Artifacts are keyed by dispatch id, known only at run time; access is limited to the artifacts/ prefix.',
    });
  }
}
