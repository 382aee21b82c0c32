import type { Workspace } from './workspace';

/**
 * The tag naming an access point's file system (`ACCESS_POINT_OWNER_TAG` in
 * src/cluster/workspace-file-system.ts): the control plane may delete only access points that carry it.
 */
export const ACCESS_POINT_OWNER_TAG = 'outpost:file-system-id';
export const WORKSPACE_TAG = 'outpost:workspace';

/** Only the owner reads, writes and enters the workspace's directory. */
const ROOT_PERMISSIONS = '0700';

/** A CreateAccessPoint request, shaped like the SDK's so that core imports no AWS code. */
export interface AccessPointRequest {
  readonly ClientToken: string;
  readonly FileSystemId: string;
  readonly PosixUser: { readonly Uid: number; readonly Gid: number };
  readonly RootDirectory: {
    readonly Path: string;
    readonly CreationInfo: { readonly OwnerUid: number; readonly OwnerGid: number; readonly Permissions: string };
  };
  readonly Tags: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
}

/**
 * The access point of a workspace: every file operation through it runs as the owner's uid and gid, whatever
 * the client claims, and sees only the workspace's directory, which EFS creates (0700, the owner's) on the
 * first mount. The client token names this workspace (its generation included) on this file system, so a
 * retried create returns the access point the first one made instead of a second one.
 */
export function accessPointRequest(fileSystemId: string, workspace: Pick<Workspace, 'name' | 'uid' | 'gid' | 'generation' | 'rootDirectory'>): AccessPointRequest {
  const { uid, gid, name } = workspace;
  return {
    ClientToken: `${fileSystemId}.${uid}.${workspace.generation}`,
    FileSystemId: fileSystemId,
    PosixUser: { Uid: uid, Gid: gid },
    RootDirectory: { Path: workspace.rootDirectory, CreationInfo: { OwnerUid: uid, OwnerGid: gid, Permissions: ROOT_PERMISSIONS } },
    Tags: [
      { Key: 'Name', Value: `outpost ${uid}/${name}` },
      { Key: ACCESS_POINT_OWNER_TAG, Value: fileSystemId },
      { Key: WORKSPACE_TAG, Value: `${uid}/${name}` },
    ],
  };
}
