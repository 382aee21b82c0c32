import type { PolicyDocument } from '../iam/policy/policy-document';
import type { Intrinsics } from '../template/intrinsics';
import { referencedId, resourcesOfType, type CfnTemplate } from '../template/template';

/** A role and every identity-based policy the template attaches to it. */
export interface RolePolicies {
  readonly logicalId: string;
  readonly arn: string;
  readonly documents: readonly PolicyDocument[];
  /** AWS managed policies by ARN: Outpost Local has not their documents, so they grant nothing locally. */
  readonly awsManaged: readonly string[];
}

/**
 * Each role's policies as the template attaches them: its own `Policies`, every AWS::IAM::Policy and
 * AWS::IAM::ManagedPolicy naming it in `Roles`, and the customer managed policies in its `ManagedPolicyArns`.
 * AWS managed policies (the Lambda basic and VPC execution roles: logs and network interfaces, which no
 * handler calls) are listed apart.
 */
export function rolePolicies(template: CfnTemplate, intrinsics: Intrinsics): RolePolicies[] {
  const attached = new Map<string, PolicyDocument[]>();
  const attach = (role: string, document: unknown) => {
    attached.set(role, [...attached.get(role) ?? [], intrinsics.resolve(document) as PolicyDocument]);
  };
  const managedDocuments = new Map<string, unknown>();
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [logicalId, resource] of resourcesOfType(template, type)) {
      const props = resource.Properties ?? {};
      managedDocuments.set(logicalId, props.PolicyDocument);
      for (const role of (props.Roles ?? []) as unknown[]) {
        const id = referencedId(role);
        if (id !== undefined) {
          attach(id, props.PolicyDocument);
        }
      }
    }
  }
  return resourcesOfType(template, 'AWS::IAM::Role').map(([logicalId, resource]) => {
    const props = resource.Properties ?? {};
    for (const policy of (props.Policies ?? []) as Array<{ PolicyDocument: unknown }>) {
      attach(logicalId, policy.PolicyDocument);
    }
    const awsManaged: string[] = [];
    for (const arn of (props.ManagedPolicyArns ?? []) as unknown[]) {
      const id = referencedId(arn);
      if (id !== undefined && managedDocuments.has(id)) {
        attach(logicalId, managedDocuments.get(id));
      } else {
        awsManaged.push(intrinsics.string(arn, `${logicalId} ManagedPolicyArns`));
      }
    }
    return {
      logicalId,
      arn: intrinsics.string({ 'Fn::GetAtt': [logicalId, 'Arn'] }, `${logicalId} Arn`),
      documents: attached.get(logicalId) ?? [],
      awsManaged,
    };
  });
}
