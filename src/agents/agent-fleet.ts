import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { Agent } from './agent';
import { AgentImageBuild } from './agent-image-build';
import { AgentKind } from './agent-kind';
import { AgentTaskDefinition } from './agent-task-definition';
import { ProviderKeyRotator } from './provider-key-rotator';
import { ProviderSecrets } from './provider-secrets';
import { FargateArchitecture } from '../ledger/ledger-pricing';

/** Props for {@link AgentFleet}. */
export interface AgentFleetProps {
  /** The agents to run, each at most once. @default Agent.all() */
  readonly agents?: Agent[];
  /** Encrypts logs, secrets, image repositories and build output. */
  readonly encryptionKey: kms.IKey;
  /** The port the worker listens on. @default 8080 */
  readonly workerPort?: number;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Rotates the provider secrets the fleet creates (not an agent's own `apiKeySecret`). @default - no rotation */
  readonly keyRotator?: ProviderKeyRotator;
}

/**
 * Every agent's task definition, with the images (built in the cloud unless an agent brings its own) and
 * the provider API key secrets they need.
 */
export class AgentFleet extends Construct {
  public readonly agents: Agent[];
  public readonly secrets: ProviderSecrets;
  /**
   * The cloud builds of the agents that bring no image: one per CPU architecture among them (CodeBuild builds
   * natively), the arm64 one first. Empty when every agent brings its own image.
   */
  public readonly imageBuilds: AgentImageBuild[] = [];
  private readonly taskDefinitions = new Map<AgentKind, AgentTaskDefinition>();
  private readonly builds: ReadonlyMap<FargateArchitecture, AgentImageBuild>;

  constructor(scope: Construct, id: string, props: AgentFleetProps) {
    super(scope, id);
    this.agents = props.agents ?? Agent.all();
    validateAgents(this.agents);

    this.secrets = new ProviderSecrets(this, 'Secrets', {
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      rotator: props.keyRotator,
    });
    const builds = new Map<FargateArchitecture, AgentImageBuild>();
    for (const architecture of [FargateArchitecture.ARM64, FargateArchitecture.X86_64]) {
      const cloudBuilt = this.agents.filter((agent) => !agent.image && agent.cpuArchitecture === architecture).map((agent) => agent.kind);
      if (cloudBuilt.length > 0) {
        // The arm64 build keeps the id it had before agents could choose their architecture.
        const build = new AgentImageBuild(this, architecture === FargateArchitecture.ARM64 ? 'Images' : 'ImagesX86_64', {
          agents: cloudBuilt,
          architecture,
          encryptionKey: props.encryptionKey,
          logRetention: props.logRetention,
          removalPolicy: props.removalPolicy,
        });
        builds.set(architecture, build);
        this.imageBuilds.push(build);
      }
    }

    for (const agent of this.agents) {
      const definition = new AgentTaskDefinition(this, agent.kind, {
        agent,
        image: agent.image ? agent.image.bind(this, agent.kind, agent.cpuArchitecture) : builds.get(agent.cpuArchitecture)!.image(agent.kind),
        apiKeySecret: this._apiKeySecret(agent),
        workerPort: props.workerPort,
        logEncryptionKey: props.encryptionKey,
        logRetention: props.logRetention,
        removalPolicy: props.removalPolicy,
      });
      if (!agent.image) {
        // Only the task definition waits for its image; its roles must not, or the key policy that names
        // them would depend on the build that the key encrypts. `addDependency`, which later releases rename
        // `addResourceDependency`: the library supports aws-cdk-lib 2.257, which has only this name.
        (definition.taskDefinition.node.defaultChild as CfnResource).addDependency(builds.get(agent.cpuArchitecture)!.completion);
      }
      this.taskDefinitions.set(agent.kind, definition);
    }
    this.builds = builds;
  }

  /**
   * The secret an agent's tasks get their provider API key from: its own `apiKeySecret`, else the fleet's
   * secret of its provider; none on Bedrock.
   * @internal
   */
  public _apiKeySecret(agent: Agent): secretsmanager.ISecret | undefined {
    return agent.bedrockModel ? undefined : agent.apiKeySecret ?? this.secrets.secretFor(agent.provider);
  }

  /**
   * The ECR repository of an agent's image, where the platform knows it: the fleet's build, or the one given
   * to `AgentImage.fromEcrRepository`. Undefined for images from other registries and CDK assets.
   * @internal
   */
  public _imageRepository(agent: Agent): ecr.IRepository | undefined {
    return agent.image ? agent.image._ecrRepository() : this.builds.get(agent.cpuArchitecture)?.repository(agent.kind);
  }

  /** The task definition of one agent. */
  public taskDefinition(kind: AgentKind): AgentTaskDefinition {
    const definition = this.taskDefinitions.get(kind);
    if (!definition) {
      throw new Error(`AgentFleet: the ${kind} agent is not part of this platform. Add Agent.${kind}() to \`agents\`.`);
    }
    return definition;
  }
}

function validateAgents(agents: Agent[]): void {
  if (agents.length === 0) {
    throw new Error('OutpostPlatform: `agents` is empty. Leave it out to run all five agents, or list the ones you want, e.g. [Agent.claude()].');
  }
  const kinds = agents.map((agent) => agent.kind);
  const repeated = kinds.filter((kind, index) => kinds.indexOf(kind) !== index);
  if (repeated.length > 0) {
    throw new Error(`OutpostPlatform: \`agents\` lists ${[...new Set(repeated)].join(', ')} more than once. Give each agent once, with all its options.`);
  }
}
