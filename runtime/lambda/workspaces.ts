import { ECSClient } from '@aws-sdk/client-ecs';
import { workspaceHoldDeps } from './workspace-hold';
import { WorkspaceTaskDefinitions } from '../adapters/workspace-task-definitions';
import { loadConfig } from '../core/config';
import type { WorkspaceDeps } from '../services/workspace-deps';

let deps: WorkspaceDeps | null | undefined;

/**
 * Clients and adapters for preparing persistent workspaces for runs (the starter), with their task definitions,
 * created once per execution environment on first use; undefined on a platform without persistent workspaces.
 * No EFS client: access points are the workspace provisioner's (runtime/handlers/workspace-provisioner).
 */
export function workspaceDeps(): WorkspaceDeps | undefined {
  if (deps === undefined) {
    const held = workspaceHoldDeps();
    deps = held ? { ...held, agents: loadConfig().agents, taskDefinitions: new WorkspaceTaskDefinitions(new ECSClient({})) } : null;
  }
  return deps ?? undefined;
}
