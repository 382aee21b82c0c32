import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import { matchEventFilters } from './support/event-pattern-matcher';
import { logicalIdOf, statementsOf, synthPlatform } from './support/platform-stack';
import { motoTableForSuite, recordOfEachWrite } from './support/table-stream';
import { streamChange } from '../runtime/adapters/stream-change';
import { WorkspaceRepository } from '../runtime/adapters/workspace-repository';
import { awaitingAccessPoint } from '../runtime/core/workspaces/awaiting-access-point';
import { newGeneration, type Workspace } from '../runtime/core/workspaces/workspace';

/** The statements a function's role holds beyond its own log group and its network-interface policy. */
function grantsOf(template: Template, hint: string): any[] {
  const fn = logicalIdOf(template, 'AWS::Lambda::Function', hint);
  const role = template.findResources('AWS::Lambda::Function')[fn].Properties.Role['Fn::GetAtt'][0];
  return statementsOf(template, role).filter((statement) => statement.Action !== undefined && !JSON.stringify(statement.Action).includes('logs:'));
}

const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${resource.split(':')[0]}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource.split(':').slice(1).join(':')}`]] });
const ACCESS_POINTS = arn('elasticfilesystem:access-point/*');

describe('persistent workspaces', () => {
  const { template, platform, stack } = synthPlatform();
  const id = (type: string, hint: string) => logicalIdOf(template, type, hint);
  const tableArn = (hint: string) => ({ 'Fn::GetAtt': [id('AWS::DynamoDB::GlobalTable', hint), 'Arn'] });
  const fileSystem = id('AWS::EFS::FileSystem', 'WorkspacesFileSystem');
  /** OUTPOST_CONFIG, with each reference to a resource written `<logical id>`. */
  const config = () => {
    const create = template.findResources('AWS::Lambda::Function')[id('AWS::Lambda::Function', 'DispatchCreate')];
    const parts: unknown[] = create.Properties.Environment.Variables.OUTPOST_CONFIG['Fn::Join'][1];
    return JSON.parse(parts.map((part: any) => (typeof part === 'string' ? part : `<${part.Ref ?? part['Fn::GetAtt'].join('.')}>`)).join(''));
  };
  const familyPrefix = () => config().workspaces.familyPrefix as string;

  test('routes: the caller\'s workspaces and the /admin forms, every one with IAM authorization, on the workspaces function', () => {
    const manage = id('AWS::Lambda::Function', 'WorkspacesManage');
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((route) => route.Properties.RouteKey.includes('/workspaces'));
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([
      'DELETE /admin/workspaces/{name}', 'DELETE /workspaces/{name}', 'GET /admin/workspaces', 'GET /workspaces',
    ]);
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    for (const route of routes) {
      expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
      const integration = integrations[route.Properties.Target['Fn::Join'][1][1].Ref];
      expect(integration.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [manage, 'Arn'] });
    }
  });

  test('the handlers\' configuration names the table, the file system, the task definition family prefix and the mount path', () => {
    expect(config().workspaces).toEqual({
      table: `<${id('AWS::DynamoDB::GlobalTable', 'Workspaces')}>`,
      fileSystemId: `<${fileSystem}>`,
      familyPrefix: expect.any(String),
      containerName: 'agent',
      mountPath: '/mnt/workspace',
    });
    expect(familyPrefix()).toMatch(/^[A-Za-z0-9]+-ws$/);
    expect(familyPrefix().length).toBeLessThanOrEqual(64);
  });

  test('the file system refuses every client that does not mount through an access point', () => {
    const policy = template.findResources('AWS::EFS::FileSystem')[fileSystem].Properties.FileSystemPolicy;
    expect(policy.Statement).toContainEqual({
      Sid: 'DenyMountWithoutAccessPoint',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
      Condition: { Null: { 'elasticfilesystem:AccessPointArn': 'true' } },
    });
  });

  test('POST /dispatch may hold workspaces; the provisioner may make their access points; the starter their task definitions (this platform\'s family only), and run them', () => {
    const family = arn(`ecs:task-definition/${familyPrefix()}-*`);
    const cluster = { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [id('AWS::ECS::Cluster', 'Cluster'), 'Arn'] } } };
    expect(grantsOf(template, 'DispatchCreate')).toContainEqual({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: tableArn('Workspaces') });
    expect(JSON.stringify(grantsOf(template, 'DispatchCreate'))).not.toMatch(/elasticfilesystem|ecs:/);
    expect(grantsOf(template, 'WorkspacesProvisioner')).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: ['elasticfilesystem:CreateAccessPoint', 'elasticfilesystem:DescribeAccessPoints'], Resource: { 'Fn::GetAtt': [fileSystem, 'Arn'] } },
      { Effect: 'Allow', Action: 'elasticfilesystem:TagResource', Resource: ACCESS_POINTS, Condition: { StringEquals: { 'elasticfilesystem:CreateAction': 'CreateAccessPoint' } } },
    ]));
    expect(JSON.stringify(grantsOf(template, 'WorkspacesProvisioner'))).not.toMatch(/ecs:/);
    expect(JSON.stringify(grantsOf(template, 'DispatchStarter'))).not.toMatch(/elasticfilesystem/);
    expect(grantsOf(template, 'DispatchStarter')).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: tableArn('Workspaces') },
      { Effect: 'Allow', Action: 'ecs:DescribeTaskDefinition', Resource: '*' },
      { Effect: 'Allow', Action: 'ecs:RegisterTaskDefinition', Resource: family },
      { Effect: 'Allow', Action: 'ecs:TagResource', Resource: family, Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } } },
      { Effect: 'Allow', Action: 'ecs:RunTask', Resource: family, Condition: cluster },
    ]));
    // Registering a task definition passes its roles: only the agents' own.
    const passed = grantsOf(template, 'DispatchStarter').filter((statement) => statement.Action === 'iam:PassRole').map((statement) => statement.Resource['Fn::GetAtt'][0]);
    expect(passed).toHaveLength(10);
    expect(passed.every((role: string) => role.startsWith('OutpostAgents'))).toBe(true);
  });

  test('task-stopped and the outbox may only update workspace items (to give them back)', () => {
    for (const hint of ['TaskStopped', 'Outbox']) {
      const workspaceGrants = grantsOf(template, hint).filter((statement) => JSON.stringify(statement.Resource).includes(id('AWS::DynamoDB::GlobalTable', 'Workspaces')));
      expect(workspaceGrants).toEqual([{ Effect: 'Allow', Action: 'dynamodb:UpdateItem', Resource: tableArn('Workspaces') }]);
    }
  });

  test('the workspaces function: its table (no removal), the dispatches it checks, the bus, the audit log; no ECS or EFS', () => {
    expect(grantsOf(template, 'WorkspacesManage')).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], Resource: tableArn('Workspaces') },
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: tableArn('Dispatches') },
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [id('AWS::Events::EventBus', 'Events'), 'Arn'] } },
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: tableArn('Audit') },
    ]);
  });

  test('the cleaner mounts /workspaces through its own root access point; it reads and removes workspace items, deletes tagged access points, deregisters task definitions', () => {
    const cleaner = template.findResources('AWS::Lambda::Function')[id('AWS::Lambda::Function', 'WorkspacesCleaner')].Properties;
    const accessPoint = id('AWS::EFS::AccessPoint', 'CleanerAccessPoint');
    const accessPointArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticfilesystem:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':access-point/', { Ref: accessPoint }]] };
    expect(cleaner.FileSystemConfigs).toEqual([{ Arn: accessPointArn, LocalMountPath: '/mnt/workspaces' }]);
    expect(cleaner.Environment.Variables.OUTPOST_WORKSPACES_MOUNT).toBe('/mnt/workspaces');
    expect(cleaner.Timeout).toBe(900);
    template.hasResourceProperties('AWS::EFS::AccessPoint', {
      PosixUser: { Uid: '0', Gid: '0' },
      RootDirectory: { Path: '/workspaces', CreationInfo: { OwnerUid: '0', OwnerGid: '0', Permissions: '711' } },
    });
    // Not tagged as a workspace's: the workspaces function cannot delete it.
    expect(JSON.stringify(template.findResources('AWS::EFS::AccessPoint')[accessPoint])).not.toContain('outpost:file-system-id');
    expect(grantsOf(template, 'WorkspacesCleaner')).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [id('AWS::SQS::Queue', 'CleanerDeadLetters'), 'Arn'] } },
      {
        Effect: 'Allow',
        Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
        Resource: { 'Fn::GetAtt': [fileSystem, 'Arn'] },
        Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': accessPointArn } },
      },
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:DeleteItem'], Resource: tableArn('Workspaces') },
      {
        Effect: 'Allow',
        Action: 'elasticfilesystem:DeleteAccessPoint',
        Resource: ACCESS_POINTS,
        Condition: { StringEquals: { 'aws:ResourceTag/outpost:file-system-id': { Ref: fileSystem } } },
      },
      { Effect: 'Allow', Action: ['ecs:ListTaskDefinitions', 'ecs:DeregisterTaskDefinition'], Resource: '*' },
    ]);
  });

  test('the cleaner runs on each Workspace Deleted event of the platform\'s bus, retried, then kept in its dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: id('AWS::Events::EventBus', 'Events') },
      EventPattern: { 'source': ['outpost.workspace'], 'detail-type': ['Workspace Deleted'] },
      Targets: [{
        Arn: { 'Fn::GetAtt': [id('AWS::Lambda::Function', 'WorkspacesCleaner'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id('AWS::SQS::Queue', 'CleanerDeadLetters'), 'Arn'] } },
        Id: 'Target0',
        RetryPolicy: { MaximumRetryAttempts: 8 },
      }],
    });
    expect(platform.lifecycle.deadLetterQueues.map((queue) => stack.resolve(queue.queueArn))).toContainEqual({ 'Fn::GetAtt': [id('AWS::SQS::Queue', 'CleanerDeadLetters'), 'Arn'] });
    expect(platform.lifecycle.workspaceCleanerFunction).toBeDefined();
    expect(platform.lifecycle.workspacesFunction).toBeDefined();
  });

  describe('the provisioner\'s filter, evaluated by moto\'s EventBridge engine on records of moto\'s real workspaces stream, written by the runtime\'s repository', () => {
    const tableName = motoTableForSuite('workspaces');

    test('passes a held workspace\'s access point request (and any other change while it is pending, which the provisioner itself skips); not one made, released or being deleted', async () => {
      const table = tableName();
      const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      const repository = new WorkspaceRepository(documents, table);
      const take = (name: string, dispatchId: string) => () => repository.acquire({ requester: 'alice', name, dispatchId, uid: 100_001, generation: newGeneration() });
      // The writes read only the key of the workspace they are given.
      const main = { requester: 'alice', name: 'main' } as Workspace;
      const other = { ...main, name: 'other' };
      const records = await recordOfEachWrite(new DynamoDBClient({}), table, {
        'INSERT: a dispatch takes a new workspace': take('main', 'D1'),
        'MODIFY: the starter asks for its access point': () => repository.requestAccessPoint(main, 'D1', new Date('2026-11-24T10:00:01.000Z')),
        'MODIFY: its task definition recorded while the request is pending': () => repository.setTaskDefinition(main, 'D1', 'claude', {
          arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/ws-main-claude:1', source: 'arn:aws:ecs:us-east-1:123456789012:task-definition/claude:1',
        }),
        'MODIFY: asked again': () => repository.requestAccessPoint(main, 'D1', new Date('2026-11-24T10:05:00.000Z')),
        'MODIFY: the provisioner records the access point': () => repository.setAccessPoint(main, 'D1', { id: 'fsap-0123456789abcdef0', arn: 'arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0' }),
        'INSERT: another workspace taken': take('other', 'D2'),
        'MODIFY: its access point asked for': () => repository.requestAccessPoint(other, 'D2', new Date('2026-11-24T10:00:02.000Z')),
        // Not a path the runtime takes (deletion needs the workspace free), but the one record that tells the
        // `deleting` rule apart: the attribute as markDeleting writes it, a timestamp string.
        'MODIFY: being deleted while held and pending': () => documents.send(new UpdateCommand({
          TableName: table, Key: { requester: 'alice', name: 'other' }, UpdateExpression: 'SET deleting = :now', ExpressionAttributeValues: { ':now': '2026-11-24T10:00:03.000Z' },
        })),
        'MODIFY: released while its request is pending': () => repository.release('alice', 'other', 'D2'),
        'MODIFY: deletion begun': () => repository.markDeleting('alice', 'other'),
      });
      const labels = Object.keys(records);
      const filters = template.findResources('AWS::Lambda::EventSourceMapping')[
        Object.keys(template.findResources('AWS::Lambda::EventSourceMapping')).find((mapping) => mapping.includes('ProvisionerFunction'))!
      ].Properties.FilterCriteria;
      const matches = matchEventFilters(filters, Object.values(records));
      const passed = labels.filter((_, index) => matches[index]);
      expect(passed).toEqual([
        'MODIFY: the starter asks for its access point',
        'MODIFY: its task definition recorded while the request is pending',
        'MODIFY: asked again',
        'MODIFY: its access point asked for',
      ]);
      // The provisioner's own check (runtime/core/workspaces/awaiting-access-point.ts) takes the requests only,
      // and none that the filter drops.
      expect(labels.filter((label) => awaitingAccessPoint(streamChange(records[label])) !== undefined)).toEqual([
        'MODIFY: the starter asks for its access point',
        'MODIFY: asked again',
        'MODIFY: its access point asked for',
      ]);
    });
  });

  test('the cleaner alone, besides agent tasks, reaches the file system: NFS out of its own security group, HTTPS to AWS APIs and the ECS endpoint', () => {
    const cleanerSg = id('AWS::EC2::SecurityGroup', 'CleanerSecurityGroup');
    const sg = template.findResources('AWS::EC2::SecurityGroup')[cleanerSg].Properties;
    expect(sg.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [cleanerSg, 'GroupId'] },
      FromPort: 2049,
      ToPort: 2049,
      DestinationSecurityGroupId: { 'Fn::GetAtt': [id('AWS::EC2::SecurityGroup', 'WorkspacesSecurityGroup'), 'GroupId'] },
    });
    // Its calls to ECS go to the interface endpoint (private DNS), which answers only the groups it is told of.
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [id('AWS::EC2::SecurityGroup', 'EndpointSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [cleanerSg, 'GroupId'] },
      FromPort: 443,
      ToPort: 443,
    });
  });
});
