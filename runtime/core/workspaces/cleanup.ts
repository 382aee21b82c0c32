import type { WorkspaceDeletedEvent } from './events';
import { parseRootDirectory, WORKSPACES_ROOT, type Workspace } from './workspace';

/** What the workspace cleaner removes for one `Workspace Deleted` event. */
export interface Cleanup {
  /** The workspace's directory, relative to `/workspaces`. */
  readonly directory: string;
  /**
   * The item of the workspace being deleted, while it still is: its access point, its task definitions and the
   * item itself are still to go. Absent when the item is gone or belongs to a later workspace of the same name,
   * which a finished cleanup (the item goes last) let be made: only the old directory may still remain.
   */
  readonly deleting?: Workspace;
}

/**
 * The cleanup an event asks for, or undefined when it does not hold up: a directory of the workspace-path form
 * under the requester's own uid, for the workspace it names, which is not a live one. So a forged or stale event
 * removes nothing a live workspace still uses. `ownerUid` is the requester's uid, `current` the workspace's item
 * now (consistent reads).
 */
export function cleanupOf(event: WorkspaceDeletedEvent, ownerUid: number | undefined, current: Workspace | undefined): Cleanup | undefined {
  const parts = parseRootDirectory(event.rootDirectory);
  if (!parts || parts.uid !== event.uid || parts.name !== event.name || ownerUid !== parts.uid) {
    return undefined;
  }
  const directory = event.rootDirectory.slice(WORKSPACES_ROOT.length + 1);
  if (current?.rootDirectory !== event.rootDirectory) {
    return { directory };
  }
  return current.deleting === undefined ? undefined : { directory, deleting: current };
}
