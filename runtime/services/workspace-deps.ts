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

/** What preparing and deleting persistent workspaces touch besides: EFS access points, ECS task definitions. */
export interface WorkspaceDeps extends WorkspaceHoldDeps {
  /** Each agent's own task definition, which a workspace's is cloned from. */
  readonly agents: PlatformConfig['agents'];
  readonly accessPoints: WorkspaceAccessPoints;
  readonly taskDefinitions: WorkspaceTaskDefinitions;
}
