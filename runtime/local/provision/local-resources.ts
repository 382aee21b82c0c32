import { createHash } from 'crypto';
import type { LocalResource } from './deployment';
import type { CreateContext } from './resource-creators';

type Stand = (context: CreateContext) => LocalResource;

function local(context: CreateContext, ref: string, attributes: Record<string, string> = {}): LocalResource {
  return { logicalId: context.logicalId, type: context.type, how: 'local', ref, attributes };
}

/** A stable id of the resource's kind, as AWS writes them (`subnet-0a1b…`). */
function localId(context: CreateContext, prefix: string): string {
  return `${prefix}-${createHash('sha256').update(`${context.pseudo.stackName}/${context.logicalId}`).digest('hex').slice(0, 17)}`;
}

function arnOf(context: CreateContext, service: string, resource: string, global = false): string {
  return `arn:aws:${service}:${global ? '' : context.pseudo.region}:${context.pseudo.accountId}:${resource}`;
}

/**
 * Resources Outpost Local plays itself rather than in moto: the functions (run by its function hosts), the roles
 * and policies (enforced by its IAM gate), the HTTP API (its router), the rules (its rule router), and the
 * image registry, which the task definitions name but nothing calls.
 */
export const LOCAL_STANDS: Readonly<Record<string, Stand>> = {
  'AWS::Lambda::Function': (context) => {
    const name = context.properties.FunctionName ?? context.physicalName(64);
    return local(context, name, { Arn: arnOf(context, 'lambda', `function:${name}`) });
  },
  'AWS::IAM::Role': (context) => {
    const name = context.properties.RoleName ?? context.physicalName(64);
    return local(context, name, { Arn: arnOf(context, 'iam', `role${context.properties.Path ?? '/'}${name}`, true), RoleId: localId(context, 'AROA').toUpperCase() });
  },
  'AWS::IAM::Policy': (context) => local(context, context.properties.PolicyName ?? context.physicalName(128)),
  'AWS::IAM::ManagedPolicy': (context) => {
    const name = context.properties.ManagedPolicyName ?? context.physicalName(128);
    const arn = arnOf(context, 'iam', `policy${context.properties.Path ?? '/'}${name}`, true);
    return local(context, arn, { PolicyArn: arn });
  },
  'AWS::Events::Rule': (context) => {
    const name = context.properties.Name ?? context.physicalName(64);
    return local(context, name, { Arn: arnOf(context, 'events', `rule/${name}`) });
  },
  'AWS::ApiGatewayV2::Api': (context) => {
    const id = localId(context, 'local').slice(6, 16);
    return local(context, id, { ApiId: id, ApiEndpoint: `http://127.0.0.1/${id}` });
  },
  'AWS::ECR::Repository': (context) => {
    const name = context.properties.RepositoryName ?? context.physicalName(256).toLowerCase();
    return local(context, name, {
      Arn: arnOf(context, 'ecr', `repository/${name}`),
      RepositoryUri: `${context.pseudo.accountId}.dkr.ecr.${context.pseudo.region}.amazonaws.com/${name}`,
    });
  },
};

/**
 * Resource types with no effect on one machine, and why: deployed as names only. A template with a type in
 * neither this list, LOCAL_STANDS nor MOTO_CREATORS fails to start, naming it, rather than running without it.
 */
export const INERT_TYPES: Readonly<Record<string, string>> = {
  'AWS::ApiGatewayV2::Stage': 'the local router serves the $default stage',
  'AWS::ApiGatewayV2::Route': 'served by the local router (read from the template)',
  'AWS::ApiGatewayV2::Integration': 'served by the local router (read from the template)',
  'AWS::Lambda::Permission': 'the local router invokes functions itself; callers are authorized by the IAM gate',
  'AWS::Lambda::EventSourceMapping': 'played by the local stream router (read from the template)',
  'AWS::Lambda::EventInvokeConfig': 'played by the local async invoker (read from the template)',
  'AWS::CloudWatch::Alarm': 'no CloudWatch alarms run locally',
  'AWS::CloudWatch::Dashboard': 'no dashboards locally',
  'AWS::EC2::EIP': 'one machine has no VPC',
  'AWS::EC2::FlowLog': 'one machine has no VPC',
  'AWS::EC2::InternetGateway': 'one machine has no VPC',
  'AWS::EC2::NatGateway': 'one machine has no VPC',
  'AWS::EC2::Route': 'one machine has no VPC',
  'AWS::EC2::RouteTable': 'one machine has no VPC',
  'AWS::EC2::SecurityGroupEgress': 'the sandbox reaches only its named endpoints',
  'AWS::EC2::SecurityGroupIngress': 'the sandbox reaches only its named endpoints',
  'AWS::EC2::SubnetRouteTableAssociation': 'one machine has no VPC',
  'AWS::EC2::VPCEndpoint': 'one machine has no VPC',
  'AWS::EC2::VPCGatewayAttachment': 'one machine has no VPC',
  'AWS::EFS::MountTarget': 'workspaces are local directories',
  'AWS::CodeBuild::Project': 'Outpost Local runs the bundled worker and the agent CLI from npm, not the images',
  'AWS::CloudFormation::WaitCondition': 'no image build locally',
  'AWS::CloudFormation::WaitConditionHandle': 'no image build locally',
  'AWS::S3::BucketPolicy': 'the IAM gate evaluates the roles\' policies; bucket policies deny only non-TLS access, which local loopback does not use',
  'AWS::SQS::QueuePolicy': 'only the platform\'s own rules and functions send to its queues locally',
  'AWS::SNS::TopicPolicy': 'only the platform\'s own alarms publish, and none run locally',
  'AWS::SecretsManager::ResourcePolicy': 'the IAM gate evaluates the roles\' policies',
  'AWS::SecretsManager::RotationSchedule': 'rotation runs on its own schedule on AWS; locally `outpost local` does not rotate keys',
  'Custom::AWS': 'custom resources act on the deploy, not on running dispatches',
  'Custom::OutpostPoolDrain': 'drains the pool when the stack is deleted; Outpost Local stops every worker on exit',
  'Custom::VpcRestrictDefaultSG': 'one machine has no VPC',
};
