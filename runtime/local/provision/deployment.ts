import type { DeployedResource } from '../template/intrinsics';

/** A resource as Outpost Local deployed it: into moto, as a local stand-in, or as inert (no effect on one machine). */
export interface LocalResource extends DeployedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly how: 'moto' | 'local' | 'inert';
}

/** What a deploy made of the template, by logical id. */
export class Deployment {
  private readonly resources = new Map<string, LocalResource>();

  public add(resource: LocalResource): void {
    this.resources.set(resource.logicalId, resource);
  }

  public get(logicalId: string): LocalResource | undefined {
    return this.resources.get(logicalId);
  }

  /** The resource, or an error naming it: a wiring that names a resource the deploy did not make. */
  public require(logicalId: string): LocalResource {
    const resource = this.resources.get(logicalId);
    if (!resource) {
      throw new Error(`${logicalId} was not deployed`);
    }
    return resource;
  }
}
