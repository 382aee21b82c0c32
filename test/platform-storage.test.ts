import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { PlatformIndex, PlatformStorage, SecureVpc } from '../src';
import { logicalIdOf, synthPlatform } from './support/platform-stack';

describe('workspaces file system', () => {
  const { template } = synthPlatform();
  const fsSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'WorkspacesSecurityGroup');
  const agentSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'AgentSecurityGroup');

  test('is encrypted, backed up, and moves cold files to Infrequent Access', () => {
    template.hasResourceProperties('AWS::EFS::FileSystem', {
      Encrypted: true,
      BackupPolicy: { Status: 'ENABLED' },
      LifecyclePolicies: Match.arrayWith([{ TransitionToIA: 'AFTER_30_DAYS' }, { TransitionToPrimaryStorageClass: 'AFTER_1_ACCESS' }]),
    });
  });

  test('refuses clients that do not use TLS', () => {
    template.hasResourceProperties('AWS::EFS::FileSystem', {
      FileSystemPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  test('is reachable only from agent tasks and the workspace cleaner, on NFS', () => {
    const cleanerSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'CleanerSecurityGroup');
    expect(template.findResources('AWS::EC2::SecurityGroup')[fsSg].Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .filter((rule) => rule.Properties.GroupId['Fn::GetAtt'][0] === fsSg);
    expect(ingress.map((rule) => rule.Properties)).toEqual([agentSg, cleanerSg].map((source) => expect.objectContaining({
      FromPort: 2049, ToPort: 2049, SourceSecurityGroupId: { 'Fn::GetAtt': [source, 'GroupId'] },
    })));
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [agentSg, 'GroupId'] }, FromPort: 2049, DestinationSecurityGroupId: { 'Fn::GetAtt': [fsSg, 'GroupId'] },
    });
  });

  test('grants what run-time access points need', () => {
    const stack = new Stack(new App(), 'Test');
    const storage = new PlatformStorage(stack, 'Storage', { network: new SecureVpc(stack, 'Network') });
    const controlPlane = new iam.Role(stack, 'ControlPlane', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const agent = new iam.Role(stack, 'Agent', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    storage.workspaces.grantAccessPointManagement(controlPlane);
    storage.workspaces.grantMount(agent);
    const t = Template.fromStack(stack);
    const policyOf = (role: string) => Object.values(t.findResources('AWS::IAM::Policy'))
      .find((policy) => policy.Properties.Roles[0].Ref.startsWith(role))!.Properties.PolicyDocument.Statement;
    expect(policyOf('ControlPlane')).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: ['elasticfilesystem:CreateAccessPoint', 'elasticfilesystem:DescribeAccessPoints'] }),
      expect.objectContaining({ Action: 'elasticfilesystem:DeleteAccessPoint', Condition: { StringEquals: { 'aws:ResourceTag/outpost:file-system-id': expect.anything() } } }),
      expect.objectContaining({ Action: 'elasticfilesystem:TagResource', Condition: { StringEquals: { 'elasticfilesystem:CreateAction': 'CreateAccessPoint' } } }),
    ]));
    expect(policyOf('Agent')).toEqual([expect.objectContaining({ Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'] })]);
    expect(storage.workspaces.fileSystemId).toBeDefined();
  });
});

describe('artifacts bucket', () => {
  test('is private, TLS-only, encrypted, logged, and expires artifacts after 30 days', () => {
    const { template } = synthPlatform();
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'ArtifactsBucket');
    const logs = logicalIdOf(template, 'AWS::S3::Bucket', 'ArtifactsAccessLogs');
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logs } },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('takes a KMS key and a retention', () => {
    const stack = new Stack(new App(), 'Test');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new PlatformStorage(stack, 'Storage', { network: new SecureVpc(stack, 'Network'), artifactsEncryptionKey: key, artifactRetention: Duration.days(7) });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7 })] },
    });
  });

  test('rejects a retention under a day', () => {
    expect(() => synthPlatform({ artifactRetention: Duration.hours(2) })).toThrow(/ArtifactsBucket: `retention` must be a whole number of days, at least one, got 2 hours/);
  });
});

describe('tables', () => {
  const { template, platform } = synthPlatform();

  test('dispatches: by id, with indexes by requester and by agent+status', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({ IndexName: PlatformIndex.DISPATCHES_BY_REQUESTER, KeySchema: [{ AttributeName: 'requester', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }] }),
        Match.objectLike({ IndexName: PlatformIndex.DISPATCHES_BY_AGENT_STATUS, KeySchema: [{ AttributeName: 'agentStatus', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }] }),
      ]),
    });
  });

  test('pool: by task, with an index by agent+state', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'taskId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: PlatformIndex.POOL_BY_AGENT_STATE })],
    });
  });

  test('audit: entity + event, with a TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'entity', KeyType: 'HASH' }, { AttributeName: 'eventId', KeyType: 'RANGE' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  test('workspaces: by requester + name, KMS-encrypted (AWS-managed key), no index', () => {
    const id = logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', 'Workspaces');
    const table = template.findResources('AWS::DynamoDB::GlobalTable')[id];
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'requester', KeyType: 'HASH' }, { AttributeName: 'name', KeyType: 'RANGE' }],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
    expect(table.Properties.GlobalSecondaryIndexes).toBeUndefined();
    expect(platform.storage.tables.workspaces).toBeDefined();
  });

  test("every table, the ledger's too, has point-in-time recovery, deletion protection, and is retained", () => {
    const tables = template.findResources('AWS::DynamoDB::GlobalTable');
    // The storage's four (dispatches, pool, audit, workspaces) and the LedgerBridge's running totals.
    expect(Object.keys(tables)).toHaveLength(5);
    for (const table of Object.values(tables)) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties.Replicas[0]).toMatchObject({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
    }
  });

  test('the audit table can only be appended to', () => {
    const stack = new Stack(new App(), 'Test');
    const storage = new PlatformStorage(stack, 'Storage', { network: new SecureVpc(stack, 'Network') });
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    storage.tables.grantAuditAppend(writer);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: Match.anyValue() }] },
    });
    expect(platform.storage.tables.audit).toBeDefined();
  });
});

describe('removal policy', () => {
  test('RETAIN by default for every data store', () => {
    const { template } = synthPlatform();
    for (const type of ['AWS::EFS::FileSystem', 'AWS::S3::Bucket', 'AWS::DynamoDB::GlobalTable']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Retain');
      }
    }
  });

  test('DESTROY for development deletes data, empties buckets and lifts deletion protection', () => {
    const { template } = synthPlatform({ removalPolicy: RemovalPolicy.DESTROY });
    for (const type of ['AWS::EFS::FileSystem', 'AWS::S3::Bucket', 'AWS::DynamoDB::GlobalTable', 'AWS::Logs::LogGroup']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Delete');
      }
    }
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    template.allResourcesProperties('AWS::DynamoDB::GlobalTable', { Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] });
  });
});
