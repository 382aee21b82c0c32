import type { ContainerDefinition, KeyValuePair, RegisterTaskDefinitionCommandInput, TaskDefinition, Tag } from '@aws-sdk/client-ecs';

/** The workspace's volume in the clone; the agent's own task definition names its volumes otherwise. */
export const WORKSPACE_VOLUME = 'persistent-workspace';

/** How a workspace's task definition differs from its agent's. */
export interface WorkspaceMount {
  readonly family: string;
  readonly fileSystemId: string;
  readonly accessPointId: string;
  /** The container the worker runs in, which mounts the workspace. */
  readonly containerName: string;
  /** Where the worker looks for a persistent workspace (OUTPOST_PERSISTENT_WORKSPACE_PATH). */
  readonly mountPath: string;
  readonly tags: readonly Tag[];
}

/**
 * What RegisterTaskDefinition takes of a described task definition; the rest (ARN, revision, status, when and
 * by whom it was registered, the attributes ECS derived) is ECS's own. Listed rather than filtered out, so that
 * a field ECS adds to its answer one day is not sent back to a request that does not know it.
 */
const REGISTERED_FIELDS = [
  'taskRoleArn', 'executionRoleArn', 'networkMode', 'containerDefinitions', 'volumes', 'placementConstraints',
  'requiresCompatibilities', 'cpu', 'memory', 'pidMode', 'ipcMode', 'proxyConfiguration', 'inferenceAccelerators',
  'ephemeralStorage', 'runtimePlatform', 'enableFaultInjection',
] as const satisfies ReadonlyArray<keyof TaskDefinition & keyof RegisterTaskDefinitionCommandInput>;

/**
 * The agent's task definition with the workspace mounted: an EFS volume through the workspace's access point
 * (TLS, and IAM authorization with the task role) on the worker's container at `mountPath`. Fargate mounts
 * volumes only as a task definition declares them, and RunTask cannot add one, so each workspace has its
 * own task definition per agent; nothing else changes.
 */
export function workspaceTaskDefinition(source: TaskDefinition, mount: WorkspaceMount): RegisterTaskDefinitionCommandInput {
  const containers = source.containerDefinitions ?? [];
  if (!containers.some((container) => container.name === mount.containerName)) {
    throw new Error(`task definition ${source.taskDefinitionArn} has no container "${mount.containerName}"`);
  }
  if (source.volumes?.some((volume) => volume.name === WORKSPACE_VOLUME)) {
    throw new Error(`task definition ${source.taskDefinitionArn} already has a "${WORKSPACE_VOLUME}" volume: it is a workspace's, not an agent's`);
  }
  const copied = Object.fromEntries(REGISTERED_FIELDS.filter((field) => source[field] !== undefined).map((field) => [field, source[field]])) as
    Pick<TaskDefinition, (typeof REGISTERED_FIELDS)[number]>;
  return {
    ...copied,
    family: mount.family,
    containerDefinitions: containers.map((container) => (
      container.name === mount.containerName ? withWorkspace(container, mount.mountPath) : container)),
    volumes: [...(source.volumes ?? []), {
      name: WORKSPACE_VOLUME,
      efsVolumeConfiguration: {
        fileSystemId: mount.fileSystemId,
        transitEncryption: 'ENABLED',
        authorizationConfig: { accessPointId: mount.accessPointId, iam: 'ENABLED' },
      },
    }],
    tags: [...mount.tags],
  };
}

function withWorkspace(container: ContainerDefinition, mountPath: string): ContainerDefinition {
  const added = workspaceEnvironment(mountPath);
  const names = new Set(added.map((variable) => variable.name));
  return {
    ...container,
    mountPoints: [...(container.mountPoints ?? []), { sourceVolume: WORKSPACE_VOLUME, containerPath: mountPath, readOnly: false }],
    environment: [...(container.environment ?? []).filter((variable) => !names.has(variable.name!)), ...added],
  };
}

/**
 * The worker's mount path, and git's trust in it. The access point makes every file the owner's uid, which is
 * not the container's (the image's `agent`, 1000), and git refuses a repository owned by another user unless
 * its directory is in `safe.directory`, which git reads only from protected configuration: the system and
 * global files (the worker turns the global one off) and the command line, which GIT_CONFIG_COUNT is part of.
 * Both the worker's git and the agent's inherit it.
 */
function workspaceEnvironment(mountPath: string): KeyValuePair[] {
  return [
    { name: 'OUTPOST_PERSISTENT_WORKSPACE_PATH', value: mountPath },
    { name: 'GIT_CONFIG_COUNT', value: '1' },
    { name: 'GIT_CONFIG_KEY_0', value: 'safe.directory' },
    { name: 'GIT_CONFIG_VALUE_0', value: mountPath },
  ];
}
