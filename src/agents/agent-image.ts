import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { AgentKind } from './agent-kind';
import { stageImageContext, writeComposedDockerfile } from './image-context';
import { FargateArchitecture } from '../ledger/ledger-pricing';

/**
 * Where an agent's container image comes from. Without one, `OutpostPlatform` builds every agent image in
 * the cloud with CodeBuild during deployment ({@link AgentImageBuild}), so no local Docker is needed.
 */
export abstract class AgentImage {
  /**
   * Build the agent's image from the Dockerfiles shipped in this package (`containers/`), with Docker on the
   * machine that runs `cdk deploy`, and push it as a CDK asset.
   */
  public static fromAsset(agent: AgentKind): AgentImage {
    return new AssetAgentImage(agent);
  }

  /**
   * An image you build and push yourself. It must be built on Outpost's base image (see `containers/`), for the
   * agent's `cpuArchitecture` (or as a multi-architecture image).
   */
  public static fromEcrRepository(repository: ecr.IRepository, tag: string = 'latest'): AgentImage {
    return new ContainerAgentImage(ecs.ContainerImage.fromEcrRepository(repository, tag), repository);
  }

  /** An image from a registry, e.g. `ghcr.io/acme/outpost-claude:1.4.0`. It must be built on Outpost's base image. */
  public static fromRegistry(name: string): AgentImage {
    return new ContainerAgentImage(ecs.ContainerImage.fromRegistry(name));
  }

  /**
   * The container image for an agent's task definition.
   * @param architecture the task definition's CPU architecture, which the image must be built for. @default FargateArchitecture.ARM64
   */
  public abstract bind(scope: Construct, agent: AgentKind, architecture?: FargateArchitecture): ecs.ContainerImage;

  /**
   * The ECR repository the image is in, where the platform knows it: fleet health may describe its images.
   * @internal
   */
  public _ecrRepository(): ecr.IRepository | undefined {
    return undefined;
  }
}

class ContainerAgentImage extends AgentImage {
  constructor(private readonly image: ecs.ContainerImage, private readonly repository?: ecr.IRepository) {
    super();
  }

  public _ecrRepository(): ecr.IRepository | undefined {
    return this.repository;
  }

  public bind(): ecs.ContainerImage {
    return this.image;
  }
}

class AssetAgentImage extends AgentImage {
  constructor(private readonly agent: AgentKind) {
    super();
  }

  public bind(_scope: Construct, agent: AgentKind, architecture: FargateArchitecture = FargateArchitecture.ARM64): ecs.ContainerImage {
    if (agent !== this.agent) {
      throw new Error(`AgentImage.fromAsset(${this.agent}) was given to the ${agent} agent. Use AgentImage.fromAsset(AgentKind.${agent.toUpperCase()}).`);
    }
    const context = stageImageContext([agent]);
    return ecs.ContainerImage.fromAsset(context.directory, {
      file: writeComposedDockerfile(context, agent),
      platform: architecture === FargateArchitecture.X86_64 ? Platform.LINUX_AMD64 : Platform.LINUX_ARM64,
    });
  }
}
