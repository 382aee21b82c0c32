import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PlatformFunction } from '../core/platform-function';

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
    // Its only grant is its own log (PlatformFunction's): the handle is a presigned URL, which a PUT reaches
    // without AWS credentials.
    const signal = new PlatformFunction(this, 'Function', {
      handler: 'image-build-failed',
      description: 'Outpost: signals the deployment when its image build fails',
      outsideVpcBecause: 'It only PUTs to the wait condition handle, a presigned S3 URL, and reads no platform data; outside the VPC it needs no route to S3.',
      logEncryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      environment: { WAIT_HANDLE_URL: props.waitHandleUrl, IMAGE_TAG: props.imageTag },
      timeout: Duration.seconds(30),
      memorySize: 128,
      synchronousOnly: false,
    });
    this.function = signal.function;
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Outpost: a failed agent image build fails the deployment that waits for it',
      eventPattern: {
        source: ['aws.codebuild'],
        detailType: ['CodeBuild Build State Change'],
        detail: { 'build-status': FAILED_BUILD_STATUSES, 'project-name': [props.project.projectName] },
      },
      targets: [new targets.LambdaFunction(this.function, { deadLetterQueue: signal.asyncDeadLetterQueue, retryAttempts: 4 })],
    });
  }
}
