import { CreateAccessPointCommand, DeleteAccessPointCommand, DescribeAccessPointsCommand, type EFSClient } from '@aws-sdk/client-efs';
import type { AccessPointRequest } from '../core/workspaces/access-point';

export interface AccessPoint {
  readonly id: string;
  readonly arn: string;
}

export interface AccessPointTiming {
  /** Describes while the access point is `creating`, this far apart. @default 500 */
  readonly pollMs?: number;
  /** @default 20 (10 seconds at the default interval) */
  readonly polls?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Workspace access points on the platform's file system. */
export class WorkspaceAccessPoints {
  constructor(private readonly efs: EFSClient, private readonly timing: AccessPointTiming = {}) {}

  /**
   * Creates the access point, or finds the one an earlier call with the same client token created (EFS
   * answers `AccessPointAlreadyExists` with its id), and resolves once it is `available`: a task that mounts
   * it sooner fails to start.
   */
  public async create(request: AccessPointRequest): Promise<AccessPoint> {
    let id: string | undefined;
    try {
      const created = await this.efs.send(new CreateAccessPointCommand({ ...request, Tags: [...request.Tags] }));
      id = created.AccessPointId;
    } catch (error) {
      if ((error as { name?: unknown }).name !== 'AccessPointAlreadyExists') {
        throw error;
      }
      id = (error as { AccessPointId?: string }).AccessPointId;
    }
    if (!id) {
      throw new Error(`CreateAccessPoint named no access point for client token ${request.ClientToken}`);
    }
    return this.whenAvailable(id);
  }

  /** Deletes the access point; one already gone counts as deleted. */
  public async delete(id: string): Promise<void> {
    try {
      await this.efs.send(new DeleteAccessPointCommand({ AccessPointId: id }));
    } catch (error) {
      if ((error as { name?: unknown }).name !== 'AccessPointNotFound') {
        throw error;
      }
    }
  }

  private async whenAvailable(id: string): Promise<AccessPoint> {
    const polls = this.timing.polls ?? 20;
    for (let poll = 1; ; poll++) {
      const { AccessPoints = [] } = await this.efs.send(new DescribeAccessPointsCommand({ AccessPointId: id }));
      const accessPoint = AccessPoints[0];
      if (accessPoint?.LifeCycleState === 'available') {
        return { id, arn: accessPoint.AccessPointArn! };
      }
      if (accessPoint?.LifeCycleState !== 'creating' || poll === polls) {
        throw new Error(`access point ${id} is ${accessPoint?.LifeCycleState ?? 'missing'}, not available`);
      }
      await (this.timing.sleep ?? realSleep)(this.timing.pollMs ?? 500);
    }
  }
}
