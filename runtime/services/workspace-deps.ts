import type { DispatchRepository } from '../adapters/dispatch-repository';
import type { WorkspaceAccessPoints } from '../adapters/workspace-access-points';
import type { WorkspaceRepository } from '../adapters/workspace-repository';
import type { WorkspaceTaskDefinitions } from '../adapters/workspace-task-definitions';
import type { PlatformConfig, WorkspacesRuntimeConfig } from '../core/config';

/** What taking and releasing persistent workspaces touch: their table only (`POST /dispatch`). */
export interface WorkspaceHoldDeps {
  readonly settings: WorkspacesRuntimeConfig;
  readonly workspaces: WorkspaceRepository;
  /** Whose lock a workspace holds: the dispatch decides whether it is stale. */
  readonly dispatches: DispatchRepository;
  readonly now: () => Date;
}

/** What preparing a persistent workspace for a run touches besides (the starter): ECS task definitions. */
export interface WorkspaceDeps extends WorkspaceHoldDeps {
  /** Each agent's own task definition, which a workspace's is cloned from. */
  readonly agents: PlatformConfig['agents'];
  readonly taskDefinitions: WorkspaceTaskDefinitions;
}

/** What making a workspace's access point touches (the workspace provisioner): EFS. */
export interface ProvisionDeps extends WorkspaceHoldDeps {
  readonly accessPoints: WorkspaceAccessPoints;
}
