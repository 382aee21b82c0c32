import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { DescribeAccessPointsCommand, type AccessPointDescription, type EFSClient } from '@aws-sdk/client-efs';
import { TaskFailedToStartError } from './ecs-emulator';

/** A task's EFS volume, as this machine serves it: a host directory bound at the container path. */
export interface EfsMount {
  /** The host directory: the access point's root directory on the file system's local directory. */
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** The access point's POSIX user, which owns everything in it between tasks. */
  readonly owner: { readonly uid: number; readonly gid: number };
}

/**
 * EFS for the tasks of one Outpost Local: each file system a directory under `root`, each access point its root
 * directory there, created on first mount with the access point's `CreationInfo` (owner, group, permissions), as
 * EFS creates it (https://docs.aws.amazon.com/efs/latest/ug/efs-access-points.html, "Enforcing a root directory").
 * The files outlive the tasks, so a second task on the same access point sees what the first left.
 *
 * EFS makes every file operation through an access point its POSIX user's, whoever the client is. The sandbox
 * cannot rewrite each operation's identity (that needs an idmapped mount or FUSE), so it approximates: for the
 * task's life the directory and its files belong to the container's working user (`worker`), and when the task
 * stops they become the access point's POSIX user's again, as EFS would hold them.
 */
export class EfsVolumes {
  constructor(private readonly efs: EFSClient, private readonly root: string) {}

  /** The task definition's EFS volumes mounted by its container `containerName`, each prepared for `worker`. */
  public async mount(definition: TaskDefinition, containerName: string, worker: { uid: number; gid: number }): Promise<EfsMount[]> {
    const container = definition.containerDefinitions?.find((candidate) => candidate.name === containerName);
    const mounts: EfsMount[] = [];
    for (const point of container?.mountPoints ?? []) {
      const efs = definition.volumes?.find((volume) => volume.name === point.sourceVolume)?.efsVolumeConfiguration;
      if (!efs) {
        continue;
      }
      const accessPointId = efs.authorizationConfig?.accessPointId;
      if (!accessPointId) {
        // The platform mounts workspaces only through access points; a bare file system root is not served.
        throw new TaskFailedToStartError(`CannotStartContainerError: volume ${point.sourceVolume} mounts file system ${efs.fileSystemId} without an access point, which Outpost Local does not serve`);
      }
      const accessPoint = await this.describe(accessPointId);
      if (accessPoint.FileSystemId !== efs.fileSystemId) {
        throw new TaskFailedToStartError(`CannotStartContainerError: access point ${accessPointId} is of file system ${accessPoint.FileSystemId}, not ${efs.fileSystemId}`);
      }
      const source = this.rootDirectory(accessPoint);
      execFileSync('chown', ['-R', '--no-dereference', `${worker.uid}:${worker.gid}`, '--', source]);
      mounts.push({
        source,
        target: point.containerPath!,
        readOnly: point.readOnly === true,
        owner: { uid: accessPoint.PosixUser?.Uid ?? 0, gid: accessPoint.PosixUser?.Gid ?? 0 },
      });
    }
    return mounts;
  }

  /** After the task: everything in its access points is the POSIX user's again. */
  public release(mounts: readonly EfsMount[]): void {
    for (const mount of mounts) {
      execFileSync('chown', ['-R', '--no-dereference', `${mount.owner.uid}:${mount.owner.gid}`, '--', mount.source]);
    }
  }

  private async describe(accessPointId: string): Promise<AccessPointDescription> {
    const { AccessPoints } = await this.efs.send(new DescribeAccessPointsCommand({ AccessPointId: accessPointId }))
      .catch((error: Error) => { throw new TaskFailedToStartError(`ResourceInitializationError: failed to describe access point ${accessPointId}: ${error.message}`); });
    const accessPoint = AccessPoints?.[0];
    if (!accessPoint || accessPoint.LifeCycleState === 'deleted' || accessPoint.LifeCycleState === 'deleting') {
      throw new TaskFailedToStartError(`ResourceInitializationError: access point ${accessPointId} does not exist`);
    }
    return accessPoint;
  }

  /** The access point's root directory on this machine, made on first use as its CreationInfo says. */
  private rootDirectory(accessPoint: AccessPointDescription): string {
    const rootPath = accessPoint.RootDirectory?.Path ?? '/';
    const directory = path.join(this.root, accessPoint.FileSystemId!, path.posix.normalize(`/${rootPath}`));
    if (!fs.existsSync(directory)) {
      const creation = accessPoint.RootDirectory?.CreationInfo;
      if (!creation && rootPath !== '/') {
        // EFS, too, fails the mount of an access point whose root directory is missing and may not be created.
        throw new TaskFailedToStartError(`ResourceInitializationError: the root directory ${rootPath} of access point ${accessPoint.AccessPointId} does not exist, and it has no CreationInfo`);
      }
      fs.mkdirSync(directory, { recursive: true });
      if (creation) {
        fs.chownSync(directory, creation.OwnerUid!, creation.OwnerGid!);
        fs.chmodSync(directory, parseInt(creation.Permissions!, 8));
      }
    }
    return directory;
  }
}
