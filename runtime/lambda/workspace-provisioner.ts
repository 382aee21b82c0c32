import { EFSClient } from '@aws-sdk/client-efs';
import { workspaceHoldDeps } from './workspace-hold';
import { WorkspaceAccessPoints } from '../adapters/workspace-access-points';
import type { ProvisionDeps } from '../services/workspace-deps';

let deps: ProvisionDeps | undefined;

/**
 * The workspaces table and the EFS client of the workspace provisioner, created once per execution environment.
 * Only deployed with persistent workspaces, so their settings are there.
 */
export function provisionDeps(): ProvisionDeps {
  deps ??= { ...workspaceHoldDeps()!, accessPoints: new WorkspaceAccessPoints(new EFSClient({})) };
  return deps;
}
