import * as z from 'zod/mini';
import type { Workspace } from './workspace';
import type { AuditRecord, EventEntry } from '../dispatch/events';

export const WORKSPACE_EVENT_SOURCE = 'outpost.workspace';
export const WORKSPACE_DELETED = 'Workspace Deleted';

/**
 * The detail of a `Workspace Deleted` event: the workspace is being deleted (its item is marked `deleting`, so
 * no dispatch takes it); the workspace cleaner deletes its access point, its task definitions, its files, then
 * its item on it.
 */
export interface WorkspaceDeletedEvent {
  readonly requester: string;
  readonly name: string;
  readonly uid: number;
  readonly rootDirectory: string;
  readonly at: string;
  /** Who deleted it: the owner, or an admin. */
  readonly deletedBy: string;
}

const WorkspaceDeletedSchema = z.object({
  'source': z.literal(WORKSPACE_EVENT_SOURCE),
  'detail-type': z.literal(WORKSPACE_DELETED),
  'detail': z.object({
    requester: z.string(),
    name: z.string(),
    uid: z.number(),
    rootDirectory: z.string(),
    at: z.string(),
    deletedBy: z.string(),
  }),
});

export function workspaceDeleted(workspace: Workspace, at: Date, deletedBy: string): WorkspaceDeletedEvent {
  const { requester, name, uid, rootDirectory } = workspace;
  return { requester, name, uid, rootDirectory, at: at.toISOString(), deletedBy };
}

export function workspaceDeletedEntry(event: WorkspaceDeletedEvent): EventEntry {
  return { Source: WORKSPACE_EVENT_SOURCE, DetailType: WORKSPACE_DELETED, Detail: JSON.stringify(event), Time: new Date(event.at) };
}

export function workspaceDeletedAuditRecord(event: WorkspaceDeletedEvent): AuditRecord {
  const { requester, name, at, ...detail } = event;
  return { entity: `workspace#${requester}/${name}`, at, type: WORKSPACE_DELETED, detail };
}

/** A `Workspace Deleted` event as EventBridge delivers it to a target; anything else is undefined. */
export function parseWorkspaceDeleted(event: unknown): WorkspaceDeletedEvent | undefined {
  const parsed = z.safeParse(WorkspaceDeletedSchema, event);
  return parsed.success ? parsed.data.detail : undefined;
}
