import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeFindings } from './acknowledge';
import { createEncryptedLogGroup } from './encryption';
import { bundledHandler, PACKAGE_VERSION } from './runtime-assets';

/** Props for {@link PlatformFunction}. */
export interface PlatformFunctionProps {
  /** The bundled handler: `assets/handlers/<handler>/index.js`. */
  readonly handler: string;
  readonly description: string;
  /** The VPC the function runs in. @default - none: only with `outsideVpcBecause` */
  readonly vpc?: ec2.IVpc;
  /** @default - none: only with `outsideVpcBecause` */
  readonly subnets?: ec2.SubnetSelection;
  /** @default - none: only with `outsideVpcBecause` */
  readonly securityGroup?: ec2.ISecurityGroup;
  /**
   * Why a function without `vpc` needs none (it reaches nothing inside the VPC), for the cdk-nag finding it
   * acknowledges. @default - it runs in `vpc`
   */
  readonly outsideVpcBecause?: string;
  readonly logEncryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly environment?: Record<string, string>;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /**
   * True when only API Gateway calls it (synchronously): the caller gets every error, so there is no
   * dead-letter queue. Otherwise events that fail every retry land in the function's dead-letter queue.
   */
  readonly synchronousOnly: boolean;
  /** A file system to mount (in the VPC; the caller opens the network path and grants its use). @default - none */
  readonly filesystem?: lambda.FileSystem;
  /**
   * A name fixed at synth, for a function whose callers must know it without a reference to it (one that would
   * close a dependency cycle). @default - a name CloudFormation generates
   */
  readonly functionName?: string;
}

/** How a function reads a table's stream: what differs between the platform's stream readers. */
export interface StreamReading {
  readonly batchSize: number;
  /** Retries of a failing batch (bisected on each) before its records go to the dead-letter queue. */
  readonly retryAttempts: number;
  /** Only the records that match (Lambda event filtering). @default - every record */
  readonly filters?: Array<Record<string, unknown>>;
  /** @default - Lambda's default (no batching window) */
  readonly maxBatchingWindow?: Duration;
  /** @default 1 */
  readonly parallelizationFactor?: number;
}

/** Failed asynchronous events are kept this long for inspection and replay. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * A control-plane Lambda function as the platform runs them all: Node.js 24 on arm64, inside the VPC (but for one
 * that says why it needs none),
 * JSON logs to its own encrypted log group, and a role that holds only what each caller grants it.
 */
export class PlatformFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /** Where asynchronous events go after the last retry fails; absent for functions only API Gateway calls. */
  public readonly deadLetterQueue?: sqs.Queue;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    this.logGroup = createEncryptedLogGroup(this, 'Logs', props.logEncryptionKey, props.logRetention, props.removalPolicy);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Outpost ${props.handler} function`,
    });
    this.role.addToPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn],
    }));
    if (!props.vpc && !props.outsideVpcBecause) {
      throw new Error(`PlatformFunction ${this.node.path}: give it a \`vpc\`, or say in \`outsideVpcBecause\` why it needs none.`);
    }
    const eniPolicy = props.vpc ? this.networkInterfacePolicy() : undefined;

    if (!props.synchronousOnly) {
      this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
        // SQS-managed keys: EventBridge and Lambda can deliver failed events here without a KMS grant.
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: DEAD_LETTER_RETENTION,
        removalPolicy: props.removalPolicy,
      });
      acknowledgeFindings(this.deadLetterQueue, {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is the function\'s dead-letter queue; a dead-letter queue needs none of its own.',
      });
    }
    this.function = new lambda.Function(this, 'Function', {
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledHandler(props.handler),
      role: this.role,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: props.securityGroup ? [props.securityGroup] : undefined,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 256,
      environment: { OUTPOST_VERSION: PACKAGE_VERSION, ...props.environment },
      deadLetterQueue: this.deadLetterQueue,
      filesystem: props.filesystem,
      functionName: props.functionName,
    });
    if (eniPolicy) {
      this.function.node.addDependency(eniPolicy);
    } else {
      acknowledgeFindings(this.function, { id: 'NIST.800.53.R5-LambdaInsideVPC', reason: props.outsideVpcBecause! });
    }

    acknowledgeFindings(this.role, {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'Grants to this function (log group, tables) are collected in the role\'s own policy, attached to this role alone.',
    });
    acknowledgeFindings(this.function, {
      id: 'NIST.800.53.R5-LambdaConcurrency',
      reason: 'Reserved concurrency fails to deploy on accounts with the default concurrency quota; API Gateway throttling bounds the call rate instead.',
    });
    if (props.synchronousOnly) {
      acknowledgeFindings(this.function, {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason: 'Invoked synchronously only (by API Gateway, or by workers with RequestResponse); the caller receives every error, so a dead-letter queue would never receive anything.',
      });
    }
  }

  /**
   * The dead-letter queue of a function that is invoked asynchronously (or reads a stream); a synth-time error
   * for one that API Gateway alone calls, which has none.
   */
  public get asyncDeadLetterQueue(): sqs.Queue {
    if (!this.deadLetterQueue) {
      throw new Error(`PlatformFunction ${this.node.path}: it is synchronousOnly and has no dead-letter queue. Create it with \`synchronousOnly: false\` to invoke it asynchronously.`);
    }
    return this.deadLetterQueue;
  }

  /**
   * Read `table`'s stream from its oldest record, as every platform stream reader does: a failing batch is
   * bisected and retried, each record reported on its own, and what fails every retry goes to the function's
   * dead-letter queue.
   */
  public readStream(table: dynamodb.ITableV2, reading: StreamReading): void {
    this.function.addEventSource(new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: reading.batchSize,
      maxBatchingWindow: reading.maxBatchingWindow,
      parallelizationFactor: reading.parallelizationFactor,
      bisectBatchOnError: true,
      retryAttempts: reading.retryAttempts,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.asyncDeadLetterQueue),
      filters: reading.filters,
    }));
  }

  /** The permissions of AWSLambdaVPCAccessExecutionRole, as a policy of our own rather than an AWS-managed one. */
  private networkInterfacePolicy(): iam.ManagedPolicy {
    const eniPolicy = new iam.ManagedPolicy(this, 'NetworkInterfaces', {
      statements: [new iam.PolicyStatement({
        actions: [
          'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      })],
    });
    this.role.addManagedPolicy(eniPolicy);
    acknowledgeFindings(eniPolicy, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Lambda creates the function\'s network interfaces; these EC2 actions take no resource-level permissions (the same as AWSLambdaVPCAccessExecutionRole).',
    });
    return eniPolicy;
  }
}
