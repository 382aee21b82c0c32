import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OutpostPlatform, OutpostPlatformProps } from '../../src';

/** A stack holding one OutpostPlatform, and its template. */
export function synthPlatform(props?: OutpostPlatformProps): { stack: Stack; platform: OutpostPlatform; template: Template } {
  const stack = new Stack(new App(), 'Test');
  const platform = new OutpostPlatform(stack, 'Outpost', props);
  return { stack, platform, template: Template.fromStack(stack) };
}

/** The logical id of the only resource of a type whose logical id contains `hint`. */
export function logicalIdOf(template: Template, type: string, hint: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.includes(hint));
  if (ids.length !== 1) {
    throw new Error(`expected one ${type} with "${hint}" in its id, found ${ids.length}: ${ids.join(', ')}`);
  }
  return ids[0];
}

/** Every statement of every policy attached to a role (and the ARNs of its managed policies). */
export function statementsOf(template: Template, roleId: string): any[] {
  const inline = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles ?? []).some((role: any) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  const role = template.findResources('AWS::IAM::Role')[roleId].Properties;
  return [...inline, ...(role.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement), ...(role.ManagedPolicyArns ?? [])];
}

/** Every IAM statement the role of the function whose logical id contains `hint` holds. */
export function statementsOfFunction(template: Template, hint: string): any[] {
  const fn = logicalIdOf(template, 'AWS::Lambda::Function', hint);
  return statementsOf(template, template.findResources('AWS::Lambda::Function')[fn].Properties.Role['Fn::GetAtt'][0]);
}

/**
 * A CloudFormation value as readable text: `{ "Fn::GetAtt": ["OutpostStorageTablesPoolC0ACB921", "Arn"] }`
 * becomes `OutpostStorageTablesPool.Arn`, joins are concatenated and pseudo parameters named.
 */
export function renderValue(value: unknown): string {
  if (Array.isArray(value)) {
    return value.map(renderValue).join(' | ');
  }
  if (typeof value !== 'object' || value === null) {
    return String(value);
  }
  const intrinsic = value as Record<string, any>;
  const withoutHash = (id: string) => id.replace(/[0-9A-F]{8}$/, '');
  if (intrinsic['Fn::GetAtt']) {
    return `${withoutHash(intrinsic['Fn::GetAtt'][0])}.${intrinsic['Fn::GetAtt'][1]}`;
  }
  if (intrinsic.Ref) {
    return intrinsic.Ref.startsWith('AWS::') ? `<${intrinsic.Ref}>` : withoutHash(intrinsic.Ref);
  }
  if (intrinsic['Fn::Join']) {
    return intrinsic['Fn::Join'][1].map(renderValue).join(intrinsic['Fn::Join'][0]);
  }
  return JSON.stringify(value);
}

/** A function role's statements as `actions on resources [if condition]` lines, for exact least-privilege assertions. */
export function permissionsOfFunction(template: Template, hint: string): string[] {
  return statementsOfFunction(template, hint).map((statement) => {
    if (statement.Action === undefined) {
      return `managed policy ${renderValue(statement)}`;
    }
    const actions = [statement.Action].flat().join(',');
    const condition = statement.Condition ? ` if ${Object.entries(statement.Condition).map(([operator, test]) =>
      `${operator} ${Object.entries(test as object).map(([key, v]) => `${key}=${renderValue(v)}`).join(', ')}`).join('; ')}` : '';
    return `${statement.Effect === 'Deny' ? 'DENY ' : ''}${actions} on ${renderValue(statement.Resource)}${condition}`;
  });
}
