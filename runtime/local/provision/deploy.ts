import { Deployment } from './deployment';
import { INERT_TYPES, LOCAL_STANDS } from './local-resources';
import { MOTO_CREATORS, type CreateContext, type MotoClients } from './resource-creators';
import { Intrinsics, type PseudoParameters } from '../template/intrinsics';
import type { CfnTemplate } from '../template/template';

/**
 * Deploys a synthesized template on one machine, in the order its references require: each resource a handler
 * or the worker calls is created in moto, each one Outpost Local plays itself gets its names, and the rest are
 * recorded as inert. A resource type in none of those lists stops the deploy, naming it.
 */
export async function deployTemplate(
  template: CfnTemplate, clients: MotoClients, pseudo: PseudoParameters, bucketDomain?: (bucket: string) => string,
): Promise<{ deployment: Deployment; intrinsics: Intrinsics }> {
  const deployment = new Deployment();
  const intrinsics = new Intrinsics(template, (logicalId) => deployment.get(logicalId), pseudo);
  const unknown = [...new Set(Object.values(template.Resources).map((resource) => resource.Type))]
    .filter((type) => !(type in MOTO_CREATORS) && !(type in LOCAL_STANDS) && !(type in INERT_TYPES) && !type.startsWith('Custom::'));
  if (unknown.length > 0) {
    throw new Error(`Outpost Local does not know what to make of ${unknown.join(', ')}: add each to runtime/local/provision (moto, local or inert, with the reason)`);
  }
  let suffix = 0;
  for (const logicalId of deploymentOrder(template)) {
    const resource = template.Resources[logicalId];
    if (resource.Condition !== undefined && !intrinsics.condition(resource.Condition)) {
      continue;
    }
    const context: CreateContext = {
      logicalId,
      type: resource.Type,
      properties: {},
      clients,
      pseudo,
      bucketDomain,
      physicalName: (maxLength = 64) => {
        suffix += 1;
        const tail = `-${suffix.toString(36).toUpperCase().padStart(4, '0')}`;
        return `${pseudo.stackName}-${logicalId}`.slice(0, maxLength - tail.length) + tail;
      },
    };
    const create = MOTO_CREATORS[resource.Type] ?? LOCAL_STANDS[resource.Type];
    if (create) {
      const properties = intrinsics.resolve(resource.Properties ?? {}) as Record<string, unknown>;
      try {
        deployment.add(await create({ ...context, properties }));
      } catch (error) {
        throw new Error(`deploying ${resource.Type} ${logicalId}: ${(error as Error).message}`);
      }
    } else {
      // Named only: a policy may still name it (the image build's project in the roles that start it).
      const [, service = 'custom', kind = 'resource'] = resource.Type.toLowerCase().split('::');
      const arn = `arn:aws:${service}:${pseudo.region}:${pseudo.accountId}:${kind}/${logicalId}`;
      deployment.add({ logicalId, type: resource.Type, how: 'inert', ref: logicalId, attributes: { Arn: arn } });
    }
  }
  return { deployment, intrinsics };
}

/** The logical ids in an order where each comes after every resource it references or depends on. */
export function deploymentOrder(template: CfnTemplate): string[] {
  const ids = Object.keys(template.Resources);
  const known = new Set(ids);
  const dependencies = new Map(ids.map((id) => {
    const resource = template.Resources[id];
    const found = new Set<string>(typeof resource.DependsOn === 'string' ? [resource.DependsOn] : resource.DependsOn ?? []);
    collectReferences(resource.Properties, found);
    return [id, [...found].filter((dependency) => known.has(dependency) && dependency !== id)];
  }));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') {
      return;
    }
    if (state.get(id) === 'visiting') {
      throw new Error(`the template's resources reference each other in a cycle: ${[...path, id].join(' → ')}`);
    }
    state.set(id, 'visiting');
    for (const dependency of dependencies.get(id)!) {
      visit(dependency, [...path, id]);
    }
    state.set(id, 'done');
    order.push(id);
  };
  ids.forEach((id) => visit(id, []));
  return order;
}

function collectReferences(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((element) => collectReferences(element, found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') {
        found.add(inner);
      } else if (key === 'Fn::GetAtt') {
        found.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? String(inner[0]) : String(inner);
        for (const match of text.matchAll(/\$\{([^}!.]+)[^}]*\}/g)) {
          found.add(match[1]);
        }
        collectReferences(Array.isArray(inner) ? inner[1] : undefined, found);
      } else {
        collectReferences(inner, found);
      }
    }
  }
}
