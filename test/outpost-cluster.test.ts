import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { OutpostCluster, SecureVpc } from '../src';
import { synthPlatform } from './support/platform-stack';

describe('ECS cluster', () => {
  const { template } = synthPlatform();

  test('has Container Insights', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  test('offers Fargate and Fargate Spot capacity', () => {
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: Match.arrayEquals(['FARGATE', 'FARGATE_SPOT']),
    });
  });
});

describe('OutpostCluster', () => {
  test('is the ECS cluster only: the tables, buckets and file system are PlatformStorage\'s', () => {
    const stack = new Stack(new App(), 'Test');
    new OutpostCluster(stack, 'Cluster', { network: new SecureVpc(stack, 'Network') });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ECS::Cluster', 1);
    for (const type of ['AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket', 'AWS::EFS::FileSystem']) {
      template.resourceCountIs(type, 0);
    }
  });

  test('grantTaskStop allows ecs:StopTask on its own tasks only', () => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new OutpostCluster(stack, 'Cluster', { network: new SecureVpc(stack, 'Network') });
    const stopper = new iam.Role(stack, 'Stopper', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    cluster.grantTaskStop(stopper);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'ecs:StopTask', Condition: { ArnEquals: { 'ecs:cluster': Match.anyValue() } } })] },
    });
  });
});

describe('the platform', () => {
  const { template, platform } = synthPlatform();

  test('keeps its data stores under Storage, apart from the cluster', () => {
    expect(platform.storage.node.path).toBe(`${platform.node.path}/Storage`);
    for (const type of ['AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket', 'AWS::EFS::FileSystem']) {
      const ids = Object.keys(template.findResources(type)).filter((id) => !id.includes('Ledger'));
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((id) => !id.startsWith('OutpostStorage'))).toEqual([]);
    }
  });
});
