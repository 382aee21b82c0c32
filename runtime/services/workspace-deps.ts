import type { DispatchRepository } from '../adapters/dispatch-repository';
import type { WorkspaceAccessPoints } from '../adapters/workspace-access-points';
import type { WorkspaceRepository } from '../adapters/workspace-repository';
import type { WorkspaceTaskDefinitions } from '../adapters/workspace-task-definitions';
import type { PlatformConfig, WorkspacesRuntimeConfig } from '../core/config';

/** What taking, releasing and deleting persistent workspaces touch; handlers build it from their clients. */
export interface WorkspaceDeps {
  readonly settings: WorkspacesRuntimeConfig;
  /** Each agent's own task definition, which a workspace's is cloned from. */
  readonly agents: PlatformConfig['agents'];
  readonly workspaces: WorkspaceRepository;
  readonly accessPoints: WorkspaceAccessPoints;
  readonly taskDefinitions: WorkspaceTaskDefinitions;
  /** Whose lock a workspace holds: the dispatch decides whether it is stale. */
  readonly dispatches: DispatchRepository;
  readonly now: () => Date;
}
