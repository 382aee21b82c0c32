import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeFindings } from '../core/acknowledge';
import { createEncryptedLogGroup } from '../core/encryption';
import { bundledHandler, PACKAGE_VERSION } from '../core/runtime-assets';

/**
 * The build statuses that end a build without its images (runtime/core/image-build/build-failure.ts has the same
 * list): CodeBuild's events name FAILED and STOPPED; its API also has FAULT and TIMED_OUT.
 */
const FAILED_BUILD_STATUSES = ['FAILED', 'FAULT', 'STOPPED', 'TIMED_OUT'];

/** Props for {@link ImageBuildFailureSignal}. */
export interface ImageBuildFailureSignalProps {
  readonly project: codebuild.IProject;
  /** The handle of the wait condition the deployment waits on: a presigned S3 URL. */
  readonly waitHandleUrl: string;
  readonly imageTag: string;
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Fails the deployment at once when the image build fails before its own script can say so (provisioning, the
 * source download, a CodeBuild quota on a new account): an EventBridge rule on this project's failed builds
 * invokes a small function that signals the wait condition FAILURE with the failed phase and a link to the log.
 * Without it the deployment waits for the wait condition's timeout (an hour) and rolls back saying nothing.
 */
export class ImageBuildFailureSignal extends Construct {
  public readonly function: lambda.Function;
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ImageBuildFailureSignalProps) {
    super(scope, id);
    const logGroup = createEncryptedLogGroup(this, 'Logs', props.encryptionKey, props.logRetention, props.removalPolicy);
    // Its only grant is its own log: the handle is a presigned URL, which a PUT reaches without AWS credentials.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Outpost image-build-failed function',
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    this.function = new lambda.Function(this, 'Function', {
      description: 'Outpost: signals the deployment when its image build fails',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledHandler('image-build-failed'),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      timeout: Duration.seconds(30),
      memorySize: 128,
      environment: { OUTPOST_VERSION: PACKAGE_VERSION, WAIT_HANDLE_URL: props.waitHandleUrl, IMAGE_TAG: props.imageTag },
    });
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Outpost: a failed agent image build fails the deployment that waits for it',
      eventPattern: {
        source: ['aws.codebuild'],
        detailType: ['CodeBuild Build State Change'],
        detail: { 'build-status': FAILED_BUILD_STATUSES, 'project-name': [props.project.projectName] },
      },
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 4 })],
    });

    acknowledgeFindings(role, {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'The function\'s one grant (its own log group) is in the role\'s own policy, attached to this role alone.',
    });
    const reasons: Record<string, string> = {
      'NIST.800.53.R5-LambdaInsideVPC': 'It only PUTs to the wait condition handle, a presigned S3 URL; it reads no platform data, so it needs no VPC, and outside one it needs no route to S3.',
      'NIST.800.53.R5-LambdaConcurrency': 'Invoked only by this project\'s failed builds, one event each.',
      'NIST.800.53.R5-LambdaDLQ': 'EventBridge retries the event; a signal that is lost leaves the deployment to the wait condition\'s timeout, as without this function.',
    };
    for (const [rule, reason] of Object.entries(reasons)) {
      acknowledgeFindings(this.function, { id: rule, reason });
    }
  }
}
