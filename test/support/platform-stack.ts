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
