import { ECSClient } from '@aws-sdk/client-ecs';
import { EFSClient } from '@aws-sdk/client-efs';
import { workspaceHoldDeps } from './workspace-hold';
import { WorkspaceAccessPoints } from '../adapters/workspace-access-points';
import { WorkspaceTaskDefinitions } from '../adapters/workspace-task-definitions';
import { loadConfig } from '../core/config';
import type { WorkspaceDeps } from '../services/workspace-deps';

let deps: WorkspaceDeps | null | undefined;

/**
 * Clients and adapters for persistent workspaces, with their access points and task definitions, created once
 * per execution environment on first use; undefined on a platform without persistent workspaces.
 */
export function workspaceDeps(): WorkspaceDeps | undefined {
  if (deps === undefined) {
    const held = workspaceHoldDeps();
    deps = held ? {
      ...held,
      agents: loadConfig().agents,
      accessPoints: new WorkspaceAccessPoints(new EFSClient({})),
      taskDefinitions: new WorkspaceTaskDefinitions(new ECSClient({})),
    } : null;
  }
  return deps ?? undefined;
}
