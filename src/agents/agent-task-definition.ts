import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { Agent } from './agent';
import { API_KEY_ENV } from './agent-catalog';
import { WORKER_CAPABILITIES } from './agent-user';
import { acknowledgeFindings } from '../core/acknowledge';
import { createEncryptedLogGroup } from '../core/encryption';
import { FargateArchitecture } from '../ledger/ledger-pricing';

/** Props for {@link AgentTaskDefinition}. */
export interface AgentTaskDefinitionProps {
  readonly agent: Agent;
  readonly image: ecs.ContainerImage;
  /** The provider API key, injected by the execution role. Not used by Claude on Bedrock. */
  readonly apiKeySecret?: secretsmanager.ISecret;
  /** The port the worker listens on. @default 8080 */
  readonly workerPort?: number;
  readonly logEncryptionKey: kms.IKey;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The worker's container, and where its writable paths live in it. */
export const AGENT_CONTAINER_NAME = 'agent';
const WRITABLE_PATHS: Record<string, string> = { workspace: '/workspace', home: '/home/agent', tmp: '/tmp' };
/**
 * The worker runs as root, with every capability dropped but WORKER_CAPABILITIES: enough to start the agent
 * under its own uid (AGENT_UID), never more. Fargate can only drop capabilities (and add SYS_PTRACE), and has
 * no user or pid namespaces, so a second uid is the separation it allows (docs/security.md).
 */
const WORKER_USER = '0:0';
/** Every capability but the worker's: whatever Fargate's default set is, nothing else remains. */
const DROPPED_CAPABILITIES = Object.values(ecs.Capability)
  .filter((capability) => capability !== ecs.Capability.ALL && !(WORKER_CAPABILITIES as readonly string[]).includes(capability));
/** Fargate's longest stop timeout: the worker uses it to stop the agent, push, and upload after SIGTERM. */
const STOP_TIMEOUT = Duration.seconds(120);

/**
 * A single-use Fargate task for one agent: the worker and the agent CLI in one container, read-only root
 * file system with writable workspace, home and temp on the task's encrypted ephemeral storage, and a task
 * role with no access to anything of the platform's. The worker runs as root with the few capabilities it
 * needs to run the agent as the unprivileged `agent` user (uid 1000) without any.
 */
export class AgentTaskDefinition extends Construct {
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly container: ecs.ContainerDefinition;
  /** The untrusted agent's role: empty, except `bedrock:InvokeModel*` on its one model for Claude on Bedrock. */
  public readonly taskRole: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AgentTaskDefinitionProps) {
    super(scope, id);
    const { agent } = props;
    const workerPort = props.workerPort ?? 8080;

    this.taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `Outpost ${agent.kind} agent tasks (untrusted code): no platform access`,
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: agent.cpu,
      memoryLimitMiB: agent.memoryLimitMiB,
      ephemeralStorageGiB: agent.ephemeralStorageGiB,
      runtimePlatform: {
        cpuArchitecture: agent.cpuArchitecture === FargateArchitecture.X86_64 ? ecs.CpuArchitecture.X86_64 : ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      taskRole: this.taskRole,
    });
    for (const name of Object.keys(WRITABLE_PATHS)) {
      // A volume without a host path is a bind mount on the task's ephemeral storage (Fargate has no tmpfs).
      this.taskDefinition.addVolume({ name });
    }

    this.logGroup = createEncryptedLogGroup(this, 'Logs', props.logEncryptionKey, props.logRetention ?? logs.RetentionDays.THREE_MONTHS, props.removalPolicy ?? RemovalPolicy.RETAIN);
    const linuxParameters = new ecs.LinuxParameters(this, 'LinuxParameters');
    linuxParameters.dropCapabilities(...DROPPED_CAPABILITIES);

    this.container = this.taskDefinition.addContainer(AGENT_CONTAINER_NAME, {
      image: props.image,
      essential: true,
      user: WORKER_USER,
      readonlyRootFilesystem: true,
      linuxParameters,
      stopTimeout: STOP_TIMEOUT,
      portMappings: [{ containerPort: workerPort, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: agent.kind }),
      healthCheck: {
        command: ['CMD', 'node', '/opt/outpost/worker/worker.js', '--healthcheck'],
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      environment: {
        OUTPOST_AGENT: agent.kind,
        OUTPOST_WORKER_PORT: String(workerPort),
        OUTPOST_WORKSPACE_ROOT: WRITABLE_PATHS.workspace,
        HOME: WRITABLE_PATHS.home,
        TMPDIR: WRITABLE_PATHS.tmp,
        ...this.modelAccess(props),
      },
      secrets: props.apiKeySecret && !agent.bedrockModel
        ? { [API_KEY_ENV[agent.provider]]: ecs.Secret.fromSecretsManager(props.apiKeySecret) }
        : undefined,
    });
    this.container.addMountPoints(...Object.entries(WRITABLE_PATHS)
      .map(([sourceVolume, containerPath]) => ({ sourceVolume, containerPath, readOnly: false })));

    acknowledgeFindings(this.taskDefinition, {
      id: 'AwsSolutions-ECS2',
      reason: 'These variables are non-secret configuration (agent, port, paths; the Bedrock model id); the API key arrives through `secrets`.',
    });
    for (const role of [this.taskDefinition.obtainExecutionRole(), this.taskRole]) {
      acknowledgeFindings(role, {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: 'The role\'s grants (image pull, its log group, its one secret; or its one Bedrock model) are collected in its own policy, attached to this role alone.',
      });
    }
    acknowledgeFindings(this.taskDefinition.obtainExecutionRole(), {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken takes no resource-level permissions; image pulls are limited to the agent\'s repository.',
    });
  }

  /** Claude on Bedrock calls its one model with the task role; every other agent uses its provider's API key. */
  private modelAccess(props: AgentTaskDefinitionProps): Record<string, string> {
    const model = props.agent.bedrockModel;
    if (!model) {
      if (!props.apiKeySecret) {
        throw new Error(`AgentTaskDefinition: the ${props.agent.kind} agent needs \`apiKeySecret\` (its ${props.agent.provider} API key).`);
      }
      return {};
    }
    this.taskRole.addToPolicy(new iam.PolicyStatement({
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      resources: model.resourceArns(this),
    }));
    if (model.inferenceProfileId) {
      acknowledgeFindings(this.taskRole, {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${model.foundationModelId}]`,
        reason: 'A cross-Region inference profile routes to its model in several Regions; Bedrock checks the model ARN in each, so the Region is a wildcard while the model is exact.',
      });
    }
    return { CLAUDE_CODE_USE_BEDROCK: '1', ANTHROPIC_MODEL: model.invocationId };
  }
}
