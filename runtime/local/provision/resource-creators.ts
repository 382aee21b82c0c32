import { randomBytes } from 'crypto';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { CreateClusterCommand, ECSClient, PutClusterCapacityProvidersCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateAccessPointCommand, CreateFileSystemCommand, EFSClient } from '@aws-sdk/client-efs';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalResource } from './deployment';
import { ec2Field, motoEc2 } from './moto-ec2';
import type { PseudoParameters } from '../template/intrinsics';

/** The AWS clients of a deploy, all pointed at moto. */
export interface MotoClients {
  readonly endpoint: string;
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly kms: KMSClient;
  readonly logs: CloudWatchLogsClient;
  readonly secrets: SecretsManagerClient;
  readonly events: EventBridgeClient;
  readonly ecs: ECSClient;
  readonly efs: EFSClient;
}

export function motoClients(endpoint: string, region: string): MotoClients {
  const config = { endpoint, region, credentials: { accessKeyId: 'outpost-local', secretAccessKey: 'outpost-local' } };
  return {
    endpoint,
    dynamodb: new DynamoDBClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    kms: new KMSClient(config),
    logs: new CloudWatchLogsClient(config),
    secrets: new SecretsManagerClient(config),
    events: new EventBridgeClient(config),
    ecs: new ECSClient(config),
    efs: new EFSClient(config),
  };
}

/** What a creator gets: the resource's properties, resolved, and the names to give it. */
export interface CreateContext {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, any>;
  readonly clients: MotoClients;
  readonly pseudo: PseudoParameters;
  /**
   * Where a bucket is reached, in place of `<bucket>.s3.<region>.amazonaws.com`: Outpost Local serves S3 path-style
   * behind TLS on loopback (`127.0.0.1:<port>/<bucket>`), so the same URL works for the worker and the user.
   */
  readonly bucketDomain?: (bucket: string) => string;
  /** A physical name as CloudFormation makes one: `<stack>-<logicalId>-<suffix>`, at most `maxLength`. */
  physicalName(maxLength?: number): string;
}

type Creator = (context: CreateContext) => Promise<LocalResource>;

function arn(context: CreateContext, service: string, resource: string): string {
  return `arn:aws:${service}:${context.pseudo.region}:${context.pseudo.accountId}:${resource}`;
}

function made(context: CreateContext, ref: string, attributes: Record<string, string>): LocalResource {
  return { logicalId: context.logicalId, type: context.type, how: 'moto', ref, attributes };
}

async function createTable(context: CreateContext): Promise<LocalResource> {
  const { properties: props, clients } = context;
  const name: string = props.TableName ?? context.physicalName(255);
  const input: CreateTableCommandInput = {
    TableName: name,
    KeySchema: props.KeySchema,
    AttributeDefinitions: props.AttributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: props.GlobalSecondaryIndexes?.map((index: any) => ({
      IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection,
    })),
    LocalSecondaryIndexes: props.LocalSecondaryIndexes,
    StreamSpecification: props.StreamSpecification ? { StreamEnabled: true, StreamViewType: props.StreamSpecification.StreamViewType } : undefined,
  };
  const { TableDescription } = await clients.dynamodb.send(new CreateTableCommand(input));
  if (props.TimeToLiveSpecification?.Enabled) {
    await clients.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: props.TimeToLiveSpecification }));
  }
  const stream = TableDescription!.LatestStreamArn;
  return made(context, name, { Arn: TableDescription!.TableArn!, ...(stream ? { StreamArn: stream } : {}) });
}

async function createBucket(context: CreateContext): Promise<LocalResource> {
  const name: string = context.properties.BucketName ?? context.physicalName(63).toLowerCase();
  await context.clients.s3.send(new CreateBucketCommand({ Bucket: name }));
  const { region } = context.pseudo;
  return made(context, name, {
    Arn: `arn:aws:s3:::${name}`,
    DomainName: context.bucketDomain?.(name) ?? `${name}.s3.amazonaws.com`,
    RegionalDomainName: context.bucketDomain?.(name) ?? `${name}.s3.${region}.amazonaws.com`,
  });
}

async function createQueue(context: CreateContext): Promise<LocalResource> {
  const props = context.properties;
  const name: string = props.QueueName ?? context.physicalName(80);
  const attributes: Record<string, string> = {};
  for (const key of ['VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds']) {
    if (props[key] !== undefined) {
      attributes[key] = String(props[key]);
    }
  }
  if (props.RedrivePolicy) {
    attributes.RedrivePolicy = JSON.stringify(props.RedrivePolicy);
  }
  const { QueueUrl } = await context.clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const answer = await context.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return made(context, QueueUrl!, { Arn: answer.Attributes!.QueueArn!, QueueName: name, QueueUrl: QueueUrl! });
}

async function createTopic(context: CreateContext): Promise<LocalResource> {
  const { TopicArn } = await context.clients.sns.send(new CreateTopicCommand({ Name: context.properties.TopicName ?? context.physicalName(256) }));
  return made(context, TopicArn!, { TopicArn: TopicArn!, TopicName: TopicArn!.split(':').pop()! });
}

async function createKey(context: CreateContext): Promise<LocalResource> {
  const { KeyMetadata } = await context.clients.kms.send(new CreateKeyCommand({
    Description: context.properties.Description,
    KeyUsage: context.properties.KeyUsage,
    KeySpec: context.properties.KeySpec,
    Policy: context.properties.KeyPolicy === undefined ? undefined : JSON.stringify(context.properties.KeyPolicy),
  }));
  return made(context, KeyMetadata!.KeyId!, { Arn: KeyMetadata!.Arn!, KeyId: KeyMetadata!.KeyId! });
}

async function createLogGroup(context: CreateContext): Promise<LocalResource> {
  const name: string = context.properties.LogGroupName ?? context.physicalName(512);
  await context.clients.logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  return made(context, name, { Arn: arn(context, 'logs', `log-group:${name}:*`) });
}

async function createSecret(context: CreateContext): Promise<LocalResource> {
  const props = context.properties;
  const { ARN, Name } = await context.clients.secrets.send(new CreateSecretCommand({
    Name: props.Name ?? context.physicalName(512),
    Description: props.Description,
    // A secret with GenerateSecretString gets a value at creation; one without is created empty, as
    // CloudFormation creates it (the provider secrets, filled by the operator).
    SecretString: props.SecretString ?? (props.GenerateSecretString ? generated(props.GenerateSecretString) : undefined),
  }));
  return made(context, ARN!, { Id: ARN!, Name: Name! });
}

function generated(spec: { SecretStringTemplate?: string; GenerateStringKey?: string; PasswordLength?: number }): string {
  const value = randomBytes(24).toString('base64url').slice(0, spec.PasswordLength ?? 32);
  if (spec.SecretStringTemplate && spec.GenerateStringKey) {
    return JSON.stringify({ ...JSON.parse(spec.SecretStringTemplate), [spec.GenerateStringKey]: value });
  }
  return value;
}

async function createEventBus(context: CreateContext): Promise<LocalResource> {
  const name: string = context.properties.Name;
  const { EventBusArn } = await context.clients.events.send(new CreateEventBusCommand({ Name: name }));
  return made(context, name, { Arn: EventBusArn!, Name: name });
}

async function createCluster(context: CreateContext): Promise<LocalResource> {
  const { cluster } = await context.clients.ecs.send(new CreateClusterCommand({
    clusterName: context.properties.ClusterName ?? context.physicalName(255),
  }));
  return made(context, cluster!.clusterName!, { Arn: cluster!.clusterArn! });
}

async function associateCapacityProviders(context: CreateContext): Promise<LocalResource> {
  const props = context.properties;
  await context.clients.ecs.send(new PutClusterCapacityProvidersCommand({
    cluster: props.Cluster,
    capacityProviders: props.CapacityProviders,
    defaultCapacityProviderStrategy: lowerKeys(props.DefaultCapacityProviderStrategy ?? []),
  }));
  return made(context, props.Cluster, {});
}

async function registerTaskDefinition(context: CreateContext): Promise<LocalResource> {
  const props = context.properties;
  const { taskDefinition } = await context.clients.ecs.send(new RegisterTaskDefinitionCommand({
    family: props.Family ?? context.physicalName(255),
    // Fargate sizes the task, not its containers; moto's RunTask adds up container memory, so a container
    // without its own gets the task's (the platform's task definitions have one essential container).
    containerDefinitions: lowerKeys(props.ContainerDefinitions).map((container: any) => ({
      ...container, memory: container.memory ?? (container.memoryReservation === undefined ? Number(props.Memory) : undefined),
    })),
    cpu: props.Cpu,
    memory: props.Memory,
    networkMode: props.NetworkMode,
    requiresCompatibilities: props.RequiresCompatibilities,
    executionRoleArn: props.ExecutionRoleArn,
    taskRoleArn: props.TaskRoleArn,
    volumes: lowerKeys(props.Volumes),
    ephemeralStorage: lowerKeys(props.EphemeralStorage),
    runtimePlatform: lowerKeys(props.RuntimePlatform),
  }));
  return made(context, taskDefinition!.taskDefinitionArn!, { TaskDefinitionArn: taskDefinition!.taskDefinitionArn! });
}

async function createFileSystem(context: CreateContext): Promise<LocalResource> {
  const { FileSystemId, FileSystemArn } = await context.clients.efs.send(new CreateFileSystemCommand({
    CreationToken: context.physicalName(64), Encrypted: context.properties.Encrypted,
  }));
  return made(context, FileSystemId!, { Arn: FileSystemArn!, FileSystemId: FileSystemId! });
}

async function createAccessPoint(context: CreateContext): Promise<LocalResource> {
  const props = context.properties;
  const answer = await context.clients.efs.send(new CreateAccessPointCommand({
    FileSystemId: props.FileSystemId, PosixUser: props.PosixUser, RootDirectory: props.RootDirectory,
  }));
  return made(context, answer.AccessPointId!, { Arn: answer.AccessPointArn!, AccessPointId: answer.AccessPointId! });
}

/** The network exists in moto because moto's RunTask checks the subnets and security groups it is given. */
async function createVpc(context: CreateContext): Promise<LocalResource> {
  const ec2 = (params: Record<string, string>) => motoEc2(context.clients.endpoint, context.pseudo.region, params);
  const cidr = context.properties.CidrBlock ?? '10.0.0.0/16';
  const vpcId = ec2Field(await ec2({ Action: 'CreateVpc', CidrBlock: cidr }), 'vpcId');
  // moto names an awsvpc task's network interface from the VPC's DNS hostnames, as the platform's VPC has them.
  await ec2({ 'Action': 'ModifyVpcAttribute', 'VpcId': vpcId, 'EnableDnsHostnames.Value': 'true' });
  const groups = await ec2({ 'Action': 'DescribeSecurityGroups', 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': vpcId });
  return made(context, vpcId, { VpcId: vpcId, CidrBlock: cidr, DefaultSecurityGroup: ec2Field(groups, 'groupId'), DefaultNetworkAcl: `acl-${vpcId.slice(4)}` });
}

async function createSubnet(context: CreateContext): Promise<LocalResource> {
  const props = context.properties;
  const answer = await motoEc2(context.clients.endpoint, context.pseudo.region, {
    Action: 'CreateSubnet', VpcId: props.VpcId, CidrBlock: props.CidrBlock, ...(props.AvailabilityZone ? { AvailabilityZone: props.AvailabilityZone } : {}),
  });
  const subnetId = ec2Field(answer, 'subnetId');
  return made(context, subnetId, { SubnetId: subnetId, AvailabilityZone: ec2Field(answer, 'availabilityZone'), VpcId: props.VpcId });
}

async function createSecurityGroup(context: CreateContext): Promise<LocalResource> {
  const props = context.properties;
  const answer = await motoEc2(context.clients.endpoint, context.pseudo.region, {
    Action: 'CreateSecurityGroup', VpcId: props.VpcId, GroupName: props.GroupName ?? context.physicalName(255), GroupDescription: props.GroupDescription ?? context.logicalId,
  });
  const groupId = ec2Field(answer, 'groupId');
  return made(context, groupId, { GroupId: groupId, VpcId: props.VpcId });
}

/** CloudFormation's property names are PascalCase; the ECS API's are camelCase, all the way down. */
function lowerKeys(value: any): any {
  if (Array.isArray(value)) {
    return value.map(lowerKeys);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.charAt(0).toLowerCase() + key.slice(1), lowerKeys(inner)]));
}

/** The resource types Outpost Local creates in moto, because a handler or the worker reads or writes them. */
export const MOTO_CREATORS: Readonly<Record<string, Creator>> = {
  'AWS::EC2::VPC': createVpc,
  'AWS::EC2::Subnet': createSubnet,
  'AWS::EC2::SecurityGroup': createSecurityGroup,
  'AWS::DynamoDB::GlobalTable': createTable,
  'AWS::DynamoDB::Table': createTable,
  'AWS::S3::Bucket': createBucket,
  'AWS::SQS::Queue': createQueue,
  'AWS::SNS::Topic': createTopic,
  'AWS::KMS::Key': createKey,
  'AWS::Logs::LogGroup': createLogGroup,
  'AWS::SecretsManager::Secret': createSecret,
  'AWS::Events::EventBus': createEventBus,
  'AWS::ECS::Cluster': createCluster,
  'AWS::ECS::TaskDefinition': registerTaskDefinition,
  'AWS::ECS::ClusterCapacityProviderAssociations': associateCapacityProviders,
  'AWS::EFS::FileSystem': createFileSystem,
  'AWS::EFS::AccessPoint': createAccessPoint,
};
