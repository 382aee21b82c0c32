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

  /** How many resources of each type were deployed each way, for the start-up summary. */
  public summary(): Array<{ type: string; how: LocalResource['how']; count: number }> {
    const counts = new Map<string, { type: string; how: LocalResource['how']; count: number }>();
    for (const resource of this.resources.values()) {
      const key = `${resource.how} ${resource.type}`;
      const entry = counts.get(key) ?? { type: resource.type, how: resource.how, count: 0 };
      counts.set(key, { ...entry, count: entry.count + 1 });
    }
    return [...counts.values()].sort((a, b) => a.how.localeCompare(b.how) || a.type.localeCompare(b.type));
  }
}
