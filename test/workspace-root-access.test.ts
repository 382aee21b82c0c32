import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PlatformStorage, SecureVpc } from '../src';
import { synthPlatform } from './support/platform-stack';

/**
 * Issue 15, finding 3: CDK's file system policy for `allowAnonymousAccess: false` allows ClientWrite and
 * ClientRootAccess to any principal through a mount target, so any role of the account could act as root
 * through the cleaner's uid-0 access point. The policy must deny root to every role but the cleaner's.
 */
describe('root on the workspaces file system', () => {
  const { template } = synthPlatform();
  const fileSystems = template.findResources('AWS::EFS::FileSystem');
  const [policy] = Object.values(fileSystems).map((fileSystem) => fileSystem.Properties.FileSystemPolicy);
  const roleOf = (fragment: string) => Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.includes(fragment));

  test('CDK\'s allow of root to any principal through a mount target is still there, so the denial is what protects it', () => {
    expect(policy.Statement).toContainEqual(expect.objectContaining({
      Effect: 'Allow', Principal: { AWS: '*' }, Action: expect.arrayContaining(['elasticfilesystem:ClientRootAccess']),
    }));
  });

  test('denies ClientRootAccess to every principal but the workspace cleaner\'s role', () => {
    const [cleanerRole] = roleOf('WorkspacesCleanerRole');
    expect(cleanerRole).toBeDefined();
    expect(policy.Statement).toContainEqual({
      Sid: 'DenyRootAccessToOtherRoles',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'elasticfilesystem:ClientRootAccess',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [{ 'Fn::GetAtt': [cleanerRole, 'Arn'] }] } },
    });
  });

  test('no agent task role is among those allowed root', () => {
    const denial = policy.Statement.find((statement: any) => statement.Sid === 'DenyRootAccessToOtherRoles');
    const allowed = JSON.stringify(denial.Condition);
    const taskRoles = Object.entries(template.findResources('AWS::ECS::TaskDefinition')).map(([, definition]) => definition.Properties.TaskRoleArn['Fn::GetAtt'][0]);
    expect(taskRoles.length).toBeGreaterThan(0);
    for (const taskRole of taskRoles) {
      expect(allowed).not.toContain(taskRole);
    }
  });

  test('a grant of root needs a role, since the denial names roles', () => {
    const stack = new Stack(new App(), 'Test');
    const storage = new PlatformStorage(stack, 'Storage', { network: new SecureVpc(stack, 'Network') });
    const accessPoint = storage.workspaces.fileSystem.addAccessPoint('Root', { path: '/workspaces', posixUser: { uid: '0', gid: '0' } });
    expect(() => storage.workspaces.grantRootThrough(new iam.AccountRootPrincipal(), accessPoint)).toThrow(/needs a role/);
    const role = new iam.Role(stack, 'Cleaner', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    storage.workspaces.grantRootThrough(role, accessPoint);
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::EFS::FileSystem'))[0].Properties.FileSystemPolicy.Statement;
    expect(statements.filter((statement: any) => statement.Sid === 'DenyRootAccessToOtherRoles')).toHaveLength(1);
  });
});
