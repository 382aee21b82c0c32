import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EgressAllowList, ModelProvider, SecureVpc, SecureVpcProps } from '../src';
import { logicalIdOf } from './support/platform-stack';

function synthVpc(props?: SecureVpcProps): Template {
  const stack = new Stack(new App(), 'Test');
  new SecureVpc(stack, 'Network', props);
  return Template.fromStack(stack);
}

/** The service part of each endpoint's name (`com.amazonaws.<region>.<service>`), e.g. `ecr.api`. */
function serviceNames(template: Template, endpointType: string): string[] {
  return Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: endpointType } }))
    .map((endpoint) => (endpoint.Properties.ServiceName['Fn::Join'][1] as string[]).slice(-1)[0].replace(/^\./, ''));
}

describe('SecureVpc subnets and NAT', () => {
  test('spans two AZs with NAT-only public subnets and private task subnets', () => {
    const template = synthVpc();
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 4);
    template.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false, Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Public' }]) }, 2);
    template.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false, Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Private' }]) }, 2);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('natGateways and maxAzs size the VPC', () => {
    // An environment-agnostic stack sees two AZs; one with an account and Region sees (dummy) three.
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
    new SecureVpc(stack, 'Network', { maxAzs: 3, natGateways: 3 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  test('the default security group is closed', () => {
    synthVpc().hasResourceProperties('Custom::VpcRestrictDefaultSG', {});
  });
});

describe('SecureVpc endpoints', () => {
  test('gateway endpoints for S3 and DynamoDB, interface endpoints for ECR, Logs, Secrets Manager and ECS', () => {
    const template = synthVpc();
    const gateways = serviceNames(template, 'Gateway');
    expect(gateways.sort()).toEqual(['dynamodb', 's3']);
    expect(serviceNames(template, 'Interface').sort()).toEqual(['ecr.api', 'ecr.dkr', 'ecs', 'logs', 'secretsmanager']);
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', PrivateDnsEnabled: true }, 5);
  });

  test('each interface endpoint can be switched off', () => {
    expect(serviceNames(synthVpc({ endpoints: { ecr: false, ecs: false } }), 'Interface').sort()).toEqual(['logs', 'secretsmanager']);
    expect(serviceNames(synthVpc({ endpoints: { ecr: false, ecs: false, cloudWatchLogs: false, secretsManager: false } }), 'Interface')).toHaveLength(0);
  });

  test('endpoints accept HTTPS only from agent tasks and the control plane', () => {
    const template = synthVpc();
    const endpointSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'EndpointSecurityGroup');
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .filter((rule) => rule.Properties.GroupId['Fn::GetAtt'][0] === endpointSg);
    expect(ingress.map((rule) => rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0]).sort()).toEqual([
      logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'AgentSecurityGroup'),
      logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'ControlPlaneSecurityGroup'),
    ].sort());
    expect(ingress.every((rule) => rule.Properties.FromPort === 443 && rule.Properties.ToPort === 443)).toBe(true);
    expect(template.findResources('AWS::EC2::SecurityGroup')[endpointSg].Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('a function with a security group of its own may be let in; without interface endpoints that adds nothing', () => {
    /** The ingress rules whose source is the security group `Own`. */
    const letIn = (network?: SecureVpcProps) => {
      const stack = new Stack(new App(), 'Test');
      const vpc = new SecureVpc(stack, 'Network', network);
      vpc.allowEndpointsFrom(new ec2.SecurityGroup(stack, 'Own', { vpc: vpc.vpc }));
      const template = Template.fromStack(stack);
      const own = logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'Own');
      return { template, rules: Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).filter((rule) => rule.Properties.SourceSecurityGroupId?.['Fn::GetAtt']?.[0] === own) };
    };
    const { template, rules } = letIn();
    expect(rules.map((rule) => rule.Properties)).toEqual([expect.objectContaining({
      GroupId: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'EndpointSecurityGroup'), 'GroupId'] },
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
    })]);
    expect(letIn({ endpoints: { ecr: false, ecs: false, cloudWatchLogs: false, secretsManager: false } }).rules).toEqual([]);
  });
});

describe('SecureVpc flow logs', () => {
  test('all traffic, one-minute aggregation, to an encrypted log group with retention', () => {
    const template = synthVpc();
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      MaxAggregationInterval: 60,
      LogDestinationType: 'cloud-watch-logs',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90, KmsKeyId: Match.anyValue() });
  });

  test('retention is configurable', () => {
    synthVpc({ flowLogRetention: logs.RetentionDays.ONE_YEAR }).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });
});

describe('agent security group', () => {
  const template = synthVpc();
  const agentSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'AgentSecurityGroup');
  const controlSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', 'ControlPlaneSecurityGroup');

  test('admits only the control plane, only on the worker port', () => {
    expect(template.findResources('AWS::EC2::SecurityGroup')[agentSg].Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .filter((rule) => rule.Properties.GroupId['Fn::GetAtt'][0] === agentSg);
    expect(ingress).toHaveLength(1);
    expect(ingress[0].Properties).toMatchObject({
      IpProtocol: 'tcp',
      FromPort: 8080,
      ToPort: 8080,
      SourceSecurityGroupId: { 'Fn::GetAtt': [controlSg, 'GroupId'] },
    });
  });

  test('egress is HTTPS, SSH, and DNS to the VPC resolver only', () => {
    const egress = template.findResources('AWS::EC2::SecurityGroup')[agentSg].Properties.SecurityGroupEgress;
    const rules = egress.map((rule: any) => `${rule.IpProtocol}/${rule.FromPort}-${rule.ToPort}@${typeof rule.CidrIp === 'string' ? rule.CidrIp : 'vpc'}`);
    expect(rules.sort()).toEqual(['tcp/22-22@0.0.0.0/0', 'tcp/443-443@0.0.0.0/0', 'tcp/53-53@vpc', 'udp/53-53@vpc'].sort());
    const dns = egress.filter((rule: any) => rule.FromPort === 53);
    expect(dns.every((rule: any) => JSON.stringify(rule.CidrIp).includes('CidrBlock'))).toBe(true);
  });

  test('the control plane reaches workers on the worker port and HTTPS', () => {
    const egress = template.findResources('AWS::EC2::SecurityGroup')[controlSg].Properties.SecurityGroupEgress;
    expect(egress).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, CidrIp: '0.0.0.0/0' })]);
    const toWorkers = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
      .filter((rule) => rule.Properties.GroupId['Fn::GetAtt'][0] === controlSg);
    expect(toWorkers).toHaveLength(1);
    expect(toWorkers[0].Properties).toMatchObject({ FromPort: 8080, DestinationSecurityGroupId: { 'Fn::GetAtt': [agentSg, 'GroupId'] } });
  });

  test('a custom worker port moves the ingress rule', () => {
    synthVpc({ workerPort: 9000 }).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 9000, ToPort: 9000 });
  });
});

describe('egress allow-list (DNS firewall)', () => {
  test('is off by default', () => {
    const resources = synthVpc().toJSON().Resources as Record<string, { Type: string }>;
    expect(Object.values(resources).filter((r) => r.Type.startsWith('AWS::Route53Resolver::'))).toEqual([]);
  });

  test('one prop allows the listed domains and blocks the rest', () => {
    const template = synthVpc({ egressAllowList: EgressAllowList.defaults() });
    const lists = Object.entries(template.findResources('AWS::Route53Resolver::FirewallDomainList'));
    const allowed = lists.find(([, list]) => list.Properties.Domains.includes('github.com'));
    const everything = lists.find(([, list]) => JSON.stringify(list.Properties.Domains) === '["*"]');
    expect(allowed).toBeDefined();
    expect(everything).toBeDefined();
    expect(allowed![1].Properties.Domains).toEqual(expect.arrayContaining([
      'github.com', '*.githubusercontent.com', 'registry.npmjs.org', 'pypi.org', 'files.pythonhosted.org', '*.amazonaws.com',
    ]));
    template.hasResourceProperties('AWS::Route53Resolver::FirewallRuleGroup', {
      FirewallRules: [
        { Action: 'ALLOW', Priority: 100, FirewallDomainListId: { 'Fn::GetAtt': [allowed![0], 'Id'] } },
        { Action: 'BLOCK', BlockResponse: 'NXDOMAIN', Priority: 200, FirewallDomainListId: { 'Fn::GetAtt': [everything![0], 'Id'] } },
      ],
    });
    template.hasResourceProperties('AWS::Route53Resolver::FirewallRuleGroupAssociation', {
      VpcId: { Ref: logicalIdOf(template, 'AWS::EC2::VPC', 'Vpc') },
    });
  });
});

describe('SecureVpc in an existing VPC', () => {
  function existing(stack: Stack): ec2.IVpc {
    return ec2.Vpc.fromVpcAttributes(stack, 'Existing', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidrBlock: '10.1.0.0/16',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-a', 'subnet-b'],
    });
  }

  test('adds only its security groups: no VPC, flow logs or endpoints unless asked', () => {
    const stack = new Stack(new App(), 'Test');
    const network = new SecureVpc(stack, 'Network', { vpc: existing(stack) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::FlowLog', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    template.resourcePropertiesCountIs('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0123456789abcdef0' }, 2);
    expect(network.vpc.vpcId).toBe('vpc-0123456789abcdef0');
  });

  test('creates the endpoints asked for', () => {
    const stack = new Stack(new App(), 'Test');
    new SecureVpc(stack, 'Network', { vpc: existing(stack), endpoints: { secretsManager: true } });
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 1);
  });

  test('rejects props that only apply to a new VPC', () => {
    const stack = new Stack(new App(), 'Test');
    expect(() => new SecureVpc(stack, 'Network', { vpc: existing(stack), natGateways: 2 })).toThrow(/`natGateways` applies only to a VPC that Outpost creates/);
  });
});

describe('SecureVpc props validation', () => {
  test.each([
    [{ maxAzs: 1 }, /`maxAzs` must be a whole number from 2 to 6, got 1/],
    [{ natGateways: 3 }, /`natGateways` must be a whole number from 1 to 2, got 3.*one per AZ/],
    [{ natGateways: 0 }, /`natGateways` must be a whole number from 1 to 2, got 0/],
    [{ workerPort: 80 }, /`workerPort` must be a whole number from 1024 to 65535, got 80/],
    [{ cidr: '10.0.0.0/24' }, /`cidr` must be an IPv4 range from \/16 to \/18, got "10.0.0.0\/24"/],
    [{ cidr: 'not-a-cidr' }, /`cidr` must be an IPv4 range/],
    [{ taskSubnets: { subnetType: ec2.SubnetType.PUBLIC } }, /`taskSubnets` applies only to an existing `vpc`/],
  ])('%j fails at synth with a message naming the prop', (props, message) => {
    expect(() => synthVpc(props as SecureVpcProps)).toThrow(message);
  });
});

describe('EgressAllowList', () => {
  test('the defaults cover GitHub and the registries, and no model API: only the worker\'s gateway calls one', () => {
    expect(EgressAllowList.DEFAULT_DOMAINS).toEqual(expect.arrayContaining(['github.com', 'registry.npmjs.org', 'pypi.org']));
    for (const provider of Object.values(ModelProvider)) {
      for (const domain of EgressAllowList.modelProviderDomains(provider)) {
        expect(EgressAllowList.DEFAULT_DOMAINS).not.toContain(domain);
      }
    }
  });

  test('withModelProviders adds each provider\'s model API', () => {
    expect(EgressAllowList.of(['github.com']).withModelProviders([ModelProvider.OPENAI, ModelProvider.XAI]).domains)
      .toEqual(['github.com', ...EgressAllowList.AWS_SERVICE_DOMAINS, 'api.openai.com', 'api.x.ai']);
  });

  test('AWS service domains are always present, and domains are normalized and deduplicated', () => {
    const list = EgressAllowList.of(['Example.COM.', 'example.com', '*.corp.example.com']);
    expect(list.domains).toEqual(['example.com', '*.corp.example.com', ...EgressAllowList.AWS_SERVICE_DOMAINS]);
  });

  test('withDomains adds to a list', () => {
    expect(EgressAllowList.defaults().withDomains(['mirror.example.org']).domains).toContain('mirror.example.org');
  });

  test.each(['http://example.com', 'exa mple.com', 'example', 'foo.*.example.com', '-bad.example.com'])('rejects "%s" with a message naming it', (domain) => {
    expect(() => EgressAllowList.of([domain])).toThrow(new RegExp(`"${domain.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not a domain name`));
  });
});
