import { imageOf, resolveId, type ImagePath } from './image-facts';
import { containersDirectory } from './package-root';
import type { AgentName } from '../../contracts/agent-names';

/** A writable path of the task: a task volume mounted into the container. */
export interface TaskMount {
  readonly volume: string;
  readonly containerPath: string;
  readonly readOnly: boolean;
  /** The volume has a host path (`Host.SourcePath`): only EC2 has those, Fargate refuses them. */
  readonly hostPath?: string;
}

/** Everything about how Fargate would start the agent's container that the sandbox reproduces. */
export interface TaskConditions {
  readonly agent: AgentName;
  /** The container definition's `User` (uid:gid), or the image's USER when it has none. */
  readonly uid: number;
  readonly gid: number;
  readonly userName: string;
  readonly readonlyRootFilesystem: boolean;
  readonly mounts: readonly TaskMount[];
  /** `LinuxParameters.Capabilities.Drop`. */
  readonly droppedCapabilities: readonly string[];
  /**
   * The capabilities the container's process keeps: the default set less the dropped ones (and plus the added
   * ones). For root they are its bounding, permitted and effective sets; a non-root user gets them only as its
   * bounding set.
   */
  readonly capabilities: readonly string[];
  /** Every user the image creates, for its /etc/passwd. */
  readonly users: ReadonlyArray<{ readonly name: string; readonly uid: number; readonly gid: number; readonly home: string }>;
  /** The container's environment as Docker assembles it: the image's ENV, then the task definition's. */
  readonly environment: Readonly<Record<string, string>>;
  /** Names of the task definition's `Secrets`, which ECS injects as variables (the caller supplies the values). */
  readonly secretNames: readonly string[];
  readonly healthCheck: readonly string[];
  readonly workdir: string;
  /** Container paths the images declare as `VOLUME` (base and agent Dockerfile). */
  readonly volumes: readonly string[];
  /** What the image holds at each path it creates and chowns or chmods. */
  readonly imagePaths: Readonly<Record<string, ImagePath>>;
  /** The container user's home in the image's /etc/passwd. */
  readonly home: string;
  /** The Dockerfiles' `COPY` from the build context: host file → image path. */
  readonly copies: ReadonlyArray<{ readonly source: string; readonly destination: string }>;
}

/**
 * The capabilities a container starts with unless its task definition drops some: Docker's default set, which
 * Fargate uses too ("Fargate ... supports the default Docker capabilities" and lets a task add only
 * SYS_PTRACE: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_KernelCapabilities.html).
 * The list is moby's oci/caps/defaults.go (DefaultCapabilities).
 */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP',
  'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE',
];

/**
 * The conditions of the agent's task: its task definition in a synthesized template (CloudFormation JSON, as
 * `cdk synth` writes it) and its image (the base and the agent's Dockerfile in `containers`). A value of the
 * container's environment that is a CloudFormation intrinsic (`Ref`, `Fn::GetAtt`, ...) is handed to
 * `resolveValue`, which Outpost Local answers from what it provisioned; without one it is refused.
 */
export function taskConditionsFromTemplate(
  template: CloudFormationTemplate,
  agent: AgentName,
  containers: string = containersDirectory(),
  resolveValue: (value: unknown, name: string) => string = unresolvedValue,
): TaskConditions {
  const container = agentContainerDefinition(template, agent);
  const image = imageOf(agent, containers);
  const [uid, gid] = String(container.User ?? image.user).split(':').map((id) => resolveId(id, image));
  const volumesByName = new Map<string, any>(container.Volumes.map((volume: any) => [volume.Name, volume]));
  const mounts = (container.MountPoints ?? []).map((mount: any): TaskMount => {
    const volume = volumesByName.get(mount.SourceVolume);
    if (!volume) {
      throw new Error(`mount point ${mount.ContainerPath} names volume ${mount.SourceVolume}, which the task definition lacks`);
    }
    return { volume: mount.SourceVolume, containerPath: mount.ContainerPath, readOnly: mount.ReadOnly === true, hostPath: volume.Host?.SourcePath };
  });
  const taskEnvironment = Object.fromEntries((container.Environment ?? [])
    .map((variable: any) => [variable.Name, environmentValue(variable, resolveValue)]));
  const dropped: string[] = container.LinuxParameters?.Capabilities?.Drop ?? [];
  const added: string[] = container.LinuxParameters?.Capabilities?.Add ?? [];
  const capabilities = [...DEFAULT_CAPABILITIES.filter((capability) => !dropped.includes('ALL') && !dropped.includes(capability)), ...added];
  return {
    agent,
    uid,
    gid: gid ?? image.groups.get(image.user) ?? uid,
    userName: [...image.users].find(([, id]) => id === uid)?.[0] ?? String(uid),
    readonlyRootFilesystem: container.ReadonlyRootFilesystem === true,
    mounts,
    droppedCapabilities: dropped,
    capabilities: [...new Set(capabilities)].sort(),
    users: [...image.users].map(([name, id]) => ({ name, uid: id, gid: image.groups.get(name) ?? id, home: image.homes.get(name) ?? (id === 0 ? '/root' : '/') })),
    environment: { ...image.env, ...taskEnvironment },
    secretNames: (container.Secrets ?? []).map((secret: any) => secret.Name),
    healthCheck: container.HealthCheck?.Command ?? [],
    workdir: image.workdir,
    volumes: image.volumes,
    imagePaths: Object.fromEntries(image.paths),
    home: [...image.homes].find(([name]) => image.users.get(name) === uid)?.[1] ?? '/',
    copies: image.copies,
  };
}


/** A synthesized CloudFormation template, as far as this reads it. */
export interface CloudFormationTemplate {
  readonly Resources?: Readonly<Record<string, { readonly Type: string; readonly Properties?: any }>>;
}

/**
 * The container definition of the agent's task definition (the one whose container has OUTPOST_AGENT=<agent>),
 * with its task definition's `Volumes` beside it: what taskConditionsFromTemplate reads.
 */
export function agentContainerDefinition(template: CloudFormationTemplate, agent: AgentName): any {
  const definitions = Object.values(template.Resources ?? {})
    .filter((resource) => resource.Type === 'AWS::ECS::TaskDefinition')
    .map((resource) => resource.Properties)
    .filter((properties) => (properties?.ContainerDefinitions?.[0]?.Environment ?? [])
      .some((variable: any) => variable.Name === 'OUTPOST_AGENT' && variable.Value === agent));
  if (definitions.length !== 1) {
    throw new Error(`expected one task definition for ${agent} in the template (its container's OUTPOST_AGENT), found ${definitions.length}`);
  }
  const [properties] = definitions;
  return { ...properties.ContainerDefinitions[0], Volumes: properties.Volumes ?? [] };
}

/** A variable's value: literal values as the container sees them; intrinsics through `resolveValue`. */
function environmentValue(variable: { Name: string; Value: unknown }, resolveValue: (value: unknown, name: string) => string): string {
  return variable.Value !== null && typeof variable.Value === 'object' ? resolveValue(variable.Value, variable.Name) : String(variable.Value);
}

function unresolvedValue(value: unknown, name: string): never {
  throw new Error(`the task definition's variable ${name} is ${JSON.stringify(value)}, a CloudFormation intrinsic: pass taskConditionsFromTemplate a resolveValue that resolves it`);
}
