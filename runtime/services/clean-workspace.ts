import type { WorkspaceAccessPoints } from '../adapters/workspace-access-points';
import type { WorkspaceRepository } from '../adapters/workspace-repository';
import type { WorkspaceTaskDefinitions } from '../adapters/workspace-task-definitions';
import { cleanupOf, type Cleanup } from '../core/workspaces/cleanup';
import type { WorkspaceDeletedEvent } from '../core/workspaces/events';
import { taskDefinitionFamily, type Workspace } from '../core/workspaces/workspace';

/** What the workspace cleaner touches; its handler builds it. */
export interface CleanerDeps {
  readonly workspaces: WorkspaceRepository;
  readonly accessPoints: WorkspaceAccessPoints;
  readonly taskDefinitions: WorkspaceTaskDefinitions;
  /** The platform's workspace task definition family prefix. */
  readonly familyPrefix: string;
  /** The platform's agents, each of which may have a task definition family for the workspace. */
  readonly agents: readonly string[];
  /** Removes a directory below `/workspaces` with all it holds; one already gone counts as removed. */
  readonly removeDirectory: (directory: string) => Promise<void>;
}

/**
 * Finishes the deletion a `Workspace Deleted` event announces (docs/control-plane.md, "Deleting"): the access
 * point first (no task can mount the workspace from here on), then its task definitions, then its files, and
 * its item last, which lets the name be used again. Until then the item stays `deleting` and no dispatch takes
 * the name. Every step may be repeated, so a retry finishes what a failed attempt began. Resolves to what was
 * cleaned, or undefined for an event that does not hold up (core/workspaces/cleanup.ts).
 */
export async function cleanWorkspace(deps: CleanerDeps, event: WorkspaceDeletedEvent): Promise<Cleanup | undefined> {
  const cleanup = cleanupOf(event, await deps.workspaces.findUid(event.requester), await deps.workspaces.get(event.requester, event.name));
  const deleting = cleanup?.deleting;
  if (deleting?.accessPointId) {
    await deps.accessPoints.delete(deleting.accessPointId);
  }
  if (deleting) {
    await deregisterTaskDefinitions(deps, deleting);
  }
  if (cleanup) {
    await deps.removeDirectory(cleanup.directory);
  }
  if (deleting) {
    await deps.workspaces.remove(deleting);
  }
  return cleanup;
}

/**
 * Every revision of the workspace's families: of every agent of the platform, not only those the item lists (a
 * registration whose recording failed leaves a revision the item does not name). A later workspace of the same
 * name has the same families, so the revisions are listed first and deregistered only if the item is still
 * this workspace's, being deleted: then it has been since before the listing (a removed item never comes back
 * with the same directory), so no later workspace existed to register any of them. An item found gone means a
 * concurrent attempt (a duplicate delivery) finished the deletion, deregistrations included.
 */
async function deregisterTaskDefinitions(deps: CleanerDeps, workspace: Workspace): Promise<void> {
  const revisions: string[] = [];
  for (const agent of new Set([...deps.agents, ...Object.keys(workspace.taskDefinitions)])) {
    revisions.push(...await deps.taskDefinitions.activeRevisions(taskDefinitionFamily(deps.familyPrefix, agent, workspace.uid, workspace.name)));
  }
  const now = await deps.workspaces.get(workspace.requester, workspace.name);
  if (now?.rootDirectory !== workspace.rootDirectory) {
    return;
  }
  for (const revision of revisions) {
    await deps.taskDefinitions.deregister(revision);
  }
}
