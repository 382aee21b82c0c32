import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { OutpostPlatform } from '../src';
import { synthPlatform } from './support/platform-stack';

describe('OutpostPlatform with no props', () => {
  const { template, platform } = synthPlatform();

  test('is a whole platform: network, cluster, storage and API', () => {
    const counts: Record<string, number> = {
      'AWS::EC2::VPC': 1,
      'AWS::EC2::FlowLog': 1,
      'AWS::ECS::Cluster': 1,
      'AWS::EFS::FileSystem': 1,
      'AWS::S3::Bucket': 2,
      'AWS::DynamoDB::GlobalTable': 5,
      'AWS::ApiGatewayV2::Api': 1,
      'AWS::KMS::Key': 1,
    };
    for (const [type, count] of Object.entries(counts)) {
      template.resourceCountIs(type, count);
    }
    template.resourceCountIs('AWS::ECS::TaskDefinition', 5);
    template.resourceCountIs('AWS::CodeBuild::Project', 1);
    // Health, the ten lifecycle handlers (worker-credentials among them), the workspaces handler, the workspace
    // cleaner and provisioner, the pool scaler, the key rotation, the ledger's two and the image build's failure
    // signal; the other functions are aws-cdk-lib's deployment-time providers.
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Handler: 'index.handler', Architectures: ['arm64'] }, 19);
    expect(platform.network.workerPort).toBe(8080);
  });

  test('every log group has a retention and the platform key', () => {
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThanOrEqual(3);
    for (const logGroup of logGroups) {
      expect(logGroup.Properties.RetentionInDays).toEqual(expect.any(Number));
      expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringContaining('OutpostKey'), 'Arn'] });
    }
  });

  test('the log key rotates and lets CloudWatch Logs of this account use it', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const statements = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({
      Sid: 'AllowCloudWatchLogsOfThisAccount',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': expect.anything() } },
    })]));
  });
});

describe('the alarm topic', () => {
  test('is encrypted with the platform key, takes TLS only, and CloudWatch alarms may use the key', () => {
    const { template } = synthPlatform();
    const [topic] = Object.values(template.findResources('AWS::SNS::Topic'));
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringContaining('OutpostKey'), 'Arn'] });
    const [topicPolicy] = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    expect(topicPolicy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]));
    const statements = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({
      Sid: 'AllowCloudWatchAlarmsToPublish',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    })]));
  });

  test('an existing topic is used instead of a new one', () => {
    const stack = new Stack(new App(), 'Imported');
    const topic = sns.Topic.fromTopicArn(stack, 'OnCall', 'arn:aws:sns:eu-west-1:123456789012:on-call');
    const platform = new OutpostPlatform(stack, 'Outpost', { alarmTopic: topic });
    expect(platform.alarmTopic).toBe(topic);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 0);
  });
});

describe('OutpostPlatform props', () => {
  test('logRetention applies to the platform\'s log groups', () => {
    const { template } = synthPlatform({ logRetention: 7 as any, removalPolicy: RemovalPolicy.DESTROY });
    const retentions = Object.values(template.findResources('AWS::Logs::LogGroup')).map((lg) => lg.Properties.RetentionInDays);
    // Everything but the flow logs: nineteen handlers (the image build's failure signal among them), API access
    // logs, the image build and the function that starts it, five agents, and aws-cdk-lib's functions that close
    // the default security group and empty the buckets.
    expect(retentions.filter((days) => days === 7)).toHaveLength(29);
    expect(retentions.filter((days) => days !== 7)).toEqual([90]);
  });

  test('runs in an existing VPC', () => {
    const stack = new Stack(new App(), 'Test');
    const vpc = new ec2.Vpc(stack, 'Mine', { maxAzs: 2 });
    new OutpostPlatform(stack, 'Outpost', { vpc });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::ECS::Cluster', 1);
    template.hasResourceProperties('AWS::ECS::Cluster', {});
  });

  test.each([
    [{ natGateways: 5 }, /SecureVpc: `natGateways` must be a whole number from 1 to 2, got 5/],
    [{ maxAzs: 7 }, /SecureVpc: `maxAzs` must be a whole number from 2 to 6, got 7/],
  ])('invalid %j fails at synth with what to change', (props, message) => {
    expect(() => synthPlatform(props)).toThrow(message);
  });
});

describe('logs of every function', () => {
  test.each([
    ['the defaults', {}],
    ['DESTROY (buckets are emptied by a function)', { removalPolicy: RemovalPolicy.DESTROY }],
  ])('%s: every Lambda function logs to a group with retention and the platform key', (_name, props) => {
    const { template } = synthPlatform(props);
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThanOrEqual(3);
    for (const [id, fn] of functions) {
      const configured = fn.Properties.LoggingConfig?.LogGroup?.Ref;
      const named = Object.keys(logGroups).find((lg) => JSON.stringify(logGroups[lg].Properties.LogGroupName) === JSON.stringify({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: id }]] }));
      const logGroup = logGroups[configured ?? named ?? ''];
      expect({ id, retention: logGroup?.Properties.RetentionInDays, key: logGroup?.Properties.KmsKeyId !== undefined })
        .toEqual({ id, retention: expect.any(Number), key: true });
    }
  });
});

describe('event bus', () => {
  test('the platform has its own bus for dispatch events', () => {
    const { template, platform } = synthPlatform();
    template.resourceCountIs('AWS::Events::EventBus', 1);
    expect(platform.eventBus.eventBusName).toBeDefined();
  });
});
