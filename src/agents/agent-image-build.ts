import { CfnWaitCondition, CfnWaitConditionHandle, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { AgentKind } from './agent-kind';
import { refuseRegionsWithoutCodeBuild } from './codebuild-regions';
import { ImageBuildFailureSignal } from './image-build-failure-signal';
import { stageImageContext } from './image-context';
import { acknowledgeFindings } from '../core/acknowledge';
import { createEncryptedLogGroup } from '../core/encryption';
import { requireProp } from '../core/validation';
import { FargateArchitecture } from '../ledger/ledger-pricing';

/** Props for {@link AgentImageBuild}. */
export interface AgentImageBuildProps {
  /** The agents whose images to build. */
  readonly agents: AgentKind[];
  /**
   * The CPU architecture the images are built for: the build runs on a CodeBuild machine of that architecture,
   * and the Dockerfiles pick their downloads by Docker's TARGETARCH.
   * @default FargateArchitecture.ARM64
   */
  readonly architecture?: FargateArchitecture;
  /** Encrypts the build's logs and CodeBuild's own output. */
  readonly encryptionKey: kms.IKey;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the repositories and build logs when the stack is deleted. CloudFormation names the
   * repositories, so one retained after a failed or deleted stack never blocks a later deployment.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** How long one build of every image may take. @default Duration.minutes(60) */
  readonly timeout?: Duration;
}

/**
 * Images are tagged with the content hash of what went into them; keep the last few for rollbacks. Each build
 * pushes an agent image twice (`plain-<tag>` and `<tag>` with its SOCI index): twenty is the last ten builds.
 */
const IMAGES_KEPT = 20;

/**
 * Builds the agent images in the cloud during `cdk deploy`, so deploying needs no local Docker: the
 * Dockerfiles and the worker go to S3 as a plain asset, a CodeBuild project (of the images' architecture, privileged for Docker)
 * builds the base image and each agent image on it, gives each agent image a SOCI index (Fargate lazy-loads it)
 * and pushes them to ECR repositories that scan on push, and the deployment waits until the build signals its
 * result. A build that fails before its own script can signal (provisioning, the source download, a quota) is
 * signalled from CodeBuild's state-change event, so the deployment fails at once with the reason. A new build
 * runs only when the images' inputs change. Synthesis fails in a Region without CodeBuild (docs/operations.md).
 */
export class AgentImageBuild extends Construct {
  /** The tag every image of this build carries: a hash of the Dockerfiles and the worker. */
  public readonly imageTag: string;
  public readonly project: codebuild.Project;
  /** Complete when every image has been pushed; task definitions depend on it. */
  public readonly completion: CfnWaitCondition;
  private readonly repositories = new Map<string, ecr.Repository>();
  private readonly providerLogGroup: logs.ILogGroup;
  private readonly encryptionKey: kms.IKey;
  private readonly logRetention: logs.RetentionDays;
  private readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: AgentImageBuildProps) {
    super(scope, id);
    if (props.agents.length === 0) {
      throw new Error('AgentImageBuild: `agents` is empty. Name at least one agent to build.');
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    this.encryptionKey = props.encryptionKey;
    this.logRetention = logRetention;
    this.removalPolicy = removalPolicy;
    const timeout = props.timeout ?? Duration.minutes(60);
    const timeoutMinutes = timeout.toMinutes({ integral: false });
    requireProp(timeoutMinutes >= 10 && timeoutMinutes <= 480, 'AgentImageBuild', 'timeout', `must be 10 minutes to 8 hours, got ${timeout.toHumanString()}`,
      'Building the base and five agent images takes 10–20 minutes; allow at least that.');
    const context = stageImageContext(props.agents);
    this.imageTag = context.fingerprint.slice(0, 32);

    refuseRegionsWithoutCodeBuild(this);
    // No fixed names: CloudFormation names each repository, so a failed first deployment or a stack deleted
    // and created again never meets a retained repository of the same name ("already exists"). The build is
    // told each repository's URI.
    for (const image of ['base', ...props.agents]) {
      this.repositories.set(image, new ecr.Repository(this, `${image}Repository`, {
        imageScanOnPush: true,
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        lifecycleRules: [{ maxImageCount: IMAGES_KEPT, description: `Keep the last ${IMAGES_KEPT} images` }],
        removalPolicy,
        emptyOnDelete: removalPolicy === RemovalPolicy.DESTROY,
      }));
    }

    const source = new s3assets.Asset(this, 'Source', { path: context.directory });
    this.project = new codebuild.Project(this, 'Project', {
      description: 'Outpost: builds the agent container images',
      source: codebuild.Source.s3({ bucket: source.bucket, path: source.s3ObjectKey }),
      buildSpec: codebuild.BuildSpec.fromSourceFilename('buildspec.yml'),
      environment: {
        buildImage: props.architecture === FargateArchitecture.X86_64
          ? codebuild.LinuxBuildImage.AMAZON_LINUX_2023_5
          : codebuild.LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0,
        computeType: codebuild.ComputeType.LARGE,
        // Docker builds need the Docker daemon, which CodeBuild runs only in privileged mode.
        privileged: true,
      },
      environmentVariables: {
        ...repositoryUris(this.repositories),
        IMAGE_TAG: { value: this.imageTag },
        AGENTS: { value: props.agents.join(' ') },
      },
      encryptionKey: props.encryptionKey,
      timeout,
      logging: {
        cloudWatch: {
          logGroup: createEncryptedLogGroup(this, 'Logs', props.encryptionKey, logRetention, removalPolicy),
        },
      },
    });
    for (const repository of this.repositories.values()) {
      repository.grantPullPush(this.project);
      // ci-build.sh asks whether an image's tag is already pushed before it builds it again.
      repository.grant(this.project, 'ecr:DescribeImages');
    }
    acknowledgeFindings(this.project, {
      id: 'AwsSolutions-CB3',
      reason: 'Building container images needs the Docker daemon, which CodeBuild runs only in privileged mode; the build runs only the packaged Dockerfiles.',
    });
    acknowledgeBuildRoleFindings(this.project);

    // The function that starts the build is aws-cdk-lib's; its logs get a retention too.
    this.providerLogGroup = createEncryptedLogGroup(this, 'StartBuildLogs', props.encryptionKey, logRetention, removalPolicy);
    this.completion = this.startAndAwaitBuild(context.fingerprint, timeout);
  }

  /** The ECR repository of one agent's image (or `base`). */
  public repository(agent: AgentKind): ecr.IRepository {
    const repository = this.repositories.get(agent);
    if (!repository) {
      throw new Error(`AgentImageBuild: no image is built for the ${agent} agent. Add it to \`agents\`.`);
    }
    return repository;
  }

  /** The image this build pushes for an agent. Depend on {@link completion} before running it. */
  public image(agent: AgentKind): ecs.ContainerImage {
    return ecs.ContainerImage.fromEcrRepository(this.repository(agent), this.imageTag);
  }

  /**
   * Start a build when the inputs change and make the deployment wait for its signal. The wait condition's
   * id carries the fingerprint: CloudFormation waits for a wait condition only when it is created.
   */
  private startAndAwaitBuild(fingerprint: string, timeout: Duration): CfnWaitCondition {
    const suffix = fingerprint.slice(0, 12);
    const handle = new CfnWaitConditionHandle(this, `BuildSignal${suffix}`);
    const startBuild: cr.AwsSdkCall = {
      service: 'CodeBuild',
      action: 'startBuild',
      parameters: {
        projectName: this.project.projectName,
        environmentVariablesOverride: [{ name: 'WAIT_HANDLE_URL', value: handle.ref, type: 'PLAINTEXT' }],
      },
      physicalResourceId: cr.PhysicalResourceId.fromResponse('build.id'),
    };
    const failureSignal = new ImageBuildFailureSignal(this, 'FailureSignal', {
      project: this.project,
      waitHandleUrl: handle.ref,
      imageTag: this.imageTag,
      encryptionKey: this.encryptionKey,
      logRetention: this.logRetention,
      removalPolicy: this.removalPolicy,
    });
    // One resource per fingerprint, so that a build starts only when it is created (a rollback does not start
    // one again), and its deletion (the rollback of its deployment, or the clean-up after the next one) stops
    // the build if it still runs: a stale build must not fail a later deployment.
    const stopBuild: cr.AwsSdkCall = {
      service: 'CodeBuild',
      action: 'stopBuild',
      parameters: { id: new cr.PhysicalResourceIdReference() },
      // Best effort: a build that has ended cannot be stopped, and a delete that failed would leave the stack
      // in DELETE_FAILED or UPDATE_ROLLBACK_FAILED, the wedge this construct must not cause.
      ignoreErrorCodesMatching: '.*',
    };
    const start = new cr.AwsCustomResource(this, `StartBuild${suffix}`, {
      onCreate: startBuild,
      onDelete: stopBuild,
      installLatestAwsSdk: false,
      logGroup: this.providerLogGroup,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['codebuild:StartBuild', 'codebuild:StopBuild'], resources: [this.project.projectArn] }),
      ]),
    });
    // The build must not start before its role's grants exist (it would fail pulling the source or pushing),
    // nor before a failure it meets can reach the deployment.
    start.node.addDependency(this.project.role!, failureSignal);
    const built = new CfnWaitCondition(this, `BuildComplete${suffix}`, {
      handle: handle.ref,
      count: 1,
      timeout: String(timeout.toSeconds()),
    });
    built.node.addDependency(start);
    acknowledgeFindings(start, {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'The custom resource\'s policy allows codebuild:StartBuild and codebuild:StopBuild on this project only.',
    });
    acknowledgeCustomResourceProvider(this);
    return built;
  }
}

/**
 * The build's environment: `REPOSITORY_URI_<image>` for the base and each agent (ci-build.sh pushes there), from
 * each repository itself rather than from a name the build would derive.
 */
function repositoryUris(repositories: Map<string, ecr.Repository>): Record<string, codebuild.BuildEnvironmentVariable> {
  return Object.fromEntries([...repositories].map(([image, repository]) => [`REPOSITORY_URI_${image}`, { value: repository.repositoryUri }]));
}

/**
 * The wildcards aws-cdk-lib writes into every CodeBuild role: its default log group and report groups (named
 * after the project), reading the source asset, using the project's key, and ECR's login.
 */
function acknowledgeBuildRoleFindings(project: codebuild.Project): void {
  const projectId = Stack.of(project).resolve((project.node.defaultChild as codebuild.CfnProject).logicalId);
  const findings: Record<string, string> = {
    'Resource::*': 'ecr:GetAuthorizationToken takes no resource-level permissions; pushes are limited to this build\'s repositories.',
    [`Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/codebuild/<${projectId}>:*`]: 'CodeBuild\'s default log group for this project only (logs go to the encrypted group set on the project).',
    [`Resource::arn:<AWS::Partition>:codebuild:<AWS::Region>:<AWS::AccountId>:report-group/<${projectId}>-*`]: 'Test report groups of this project only.',
    'Action::s3:GetObject*': 'Reads the build\'s own source asset object.',
    'Action::s3:GetBucket*': 'Reads the build\'s own source asset object.',
    'Action::s3:List*': 'Reads the build\'s own source asset object.',
    'Action::kms:GenerateDataKey*': 'Encrypts build output with the platform key only.',
    'Action::kms:ReEncrypt*': 'Encrypts build output with the platform key only.',
  };
  for (const [finding, reason] of Object.entries(findings)) {
    acknowledgeFindings(project.role!, { id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
  acknowledgeFindings(project.role!, {
    id: 'NIST.800.53.R5-IAMNoInlinePolicy',
    reason: 'The build role\'s grants are collected in its own policy, attached to this role alone.',
  });
}

/** aws-cdk-lib's singleton function behind AwsCustomResource: created per stack with a runtime and role CDK chooses. */
function acknowledgeCustomResourceProvider(scope: Construct): void {
  const provider = Stack.of(scope).node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (!provider) {
    return;
  }
  const reasons: Record<string, string> = {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': 'aws-cdk-lib\'s AwsCustomResource function; its role is set by aws-cdk-lib and runs only during deployment.',
    // aws-cdk-lib 2.257, the lowest the library supports, gives it nodejs22.x while cdk-nag knows nodejs24.x.
    'AwsSolutions-L1': 'aws-cdk-lib\'s AwsCustomResource function: aws-cdk-lib sets its runtime, and it runs only during deployment.',
    'NIST.800.53.R5-LambdaConcurrency': 'Invoked only by CloudFormation during deployment.',
    'NIST.800.53.R5-LambdaDLQ': 'Invoked only by CloudFormation, which reports its failures.',
    'NIST.800.53.R5-LambdaInsideVPC': 'Calls only the CodeBuild API during deployment.',
  };
  for (const [id, reason] of Object.entries(reasons)) {
    acknowledgeFindings(provider, { id, reason });
  }
}
