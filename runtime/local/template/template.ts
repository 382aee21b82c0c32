/**
 * The parts of a synthesized CloudFormation template (the JSON `cdk synth` writes) that Outpost Local reads.
 * Values stay as written, intrinsics included: `resolve` (intrinsics.ts) turns them into what a deploy would.
 */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly DependsOn?: string | readonly string[];
  readonly Condition?: string;
}

export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnResource>>;
  readonly Parameters?: Readonly<Record<string, { readonly Type: string; readonly Default?: unknown }>>;
  readonly Conditions?: Readonly<Record<string, unknown>>;
  readonly Outputs?: Readonly<Record<string, { readonly Value: unknown }>>;
}

/** The resources of one type, by logical id, in the template's order. */
export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** A property of a resource, or a clear error naming the resource when the template lacks it. */
export function property<T>(logicalId: string, resource: CfnResource, name: string): T {
  const value = resource.Properties?.[name];
  if (value === undefined) {
    throw new Error(`${resource.Type} ${logicalId} has no ${name}: Outpost Local cannot wire it`);
  }
  return value as T;
}

/** The logical id a `{Ref}` or `{Fn::GetAtt}` names, as written in the template, or undefined for anything else. */
export function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string') {
    return ref;
  }
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
    return getAtt[0];
  }
  if (typeof getAtt === 'string') {
    return getAtt.split('.')[0];
  }
  return undefined;
}
