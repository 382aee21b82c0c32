/**
 * Print what a synthesized Outpost platform contains, one short block per stack:
 *
 *   ts-node --project test/tsconfig.json scripts/summarize-synth.ts cdk.out/quickstart
 *
 * Reads the cloud assembly's manifest.json and the templates it names; plain fs and JSON.
 */
import * as fs from 'fs';
import * as path from 'path';

/** CloudFormation JSON, untyped by nature. */
type Json = any;
interface Resource { readonly Type: string; readonly Properties?: Json; readonly DeletionPolicy?: string }
type Resources = Record<string, Resource>;

/** Resource types by what they are for; the first matching pattern wins. */
const GROUPS: Array<[string, RegExp]> = [
  ['logs', /^AWS::Logs::|^AWS::EC2::FlowLog$/],
  ['network', /^AWS::EC2::|^AWS::Route53Resolver::|^Custom::VpcRestrictDefaultSG$/],
  ['compute', /^AWS::ECS::|^AWS::Lambda::/],
  ['storage', /^AWS::S3::|^AWS::DynamoDB::|^AWS::EFS::|^Custom::S3AutoDeleteObjects$/],
  ['API', /^AWS::ApiGateway/],
  ['IAM', /^AWS::IAM::/],
  ['other', /./],
];

/** A logical id without CDK's 8-character hash suffix. */
const short = (id: string): string => id.replace(/[0-9A-F]{8}$/, '');

/** An intrinsic function as short, readable text: `${Resource.Attr}`, `${AWS::Region}`. */
function show(value: Json): string {
  if (typeof value !== 'object' || value === null) return String(value);
  if ('Ref' in value) return `\${${short(value.Ref)}}`;
  if ('Fn::GetAtt' in value) return `\${${short(value['Fn::GetAtt'][0])}.${value['Fn::GetAtt'][1]}}`;
  if ('Fn::Join' in value) return value['Fn::Join'][1].map(show).join(value['Fn::Join'][0]);
  if ('Fn::Sub' in value) return show(value['Fn::Sub']);
  return JSON.stringify(value);
}

const ofType = (resources: Resources, pattern: RegExp): Array<[string, Resource]> =>
  Object.entries(resources).filter(([, resource]) => pattern.test(resource.Type));

function counts(resources: Resources): string[] {
  const byGroup = new Map<string, Map<string, number>>(GROUPS.map(([group]) => [group, new Map()]));
  for (const { Type: type } of Object.values(resources)) {
    if (type === 'AWS::CDK::Metadata') continue;
    const types = byGroup.get(GROUPS.find(([, pattern]) => pattern.test(type))![0])!;
    types.set(type, (types.get(type) ?? 0) + 1);
  }
  return [...byGroup].filter(([, types]) => types.size > 0).map(([group, types]) => {
    const total = [...types.values()].reduce((sum, n) => sum + n, 0);
    const list = [...types].sort(([, a], [, b]) => b - a).map(([type, n]) => `${type.replace(/^AWS::/, '')} ${n}`);
    return `  ${group.padEnd(8)}${String(total).padStart(3)}  ${list.join(', ')}`;
  });
}

function network(resources: Resources): string[] {
  const subnets = ofType(resources, /^AWS::EC2::Subnet$/).map(([, subnet]) => subnet.Properties);
  const azs = new Set(subnets.map((subnet) => show(subnet.AvailabilityZone)));
  const kinds = new Map<string, number>();
  for (const subnet of subnets) {
    const kind = subnet.Tags?.find((tag: Json) => tag.Key === 'aws-cdk:subnet-type')?.Value ?? '?';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const endpoints = ofType(resources, /^AWS::EC2::VPCEndpoint$/).map(([, endpoint]) =>
    `${show(endpoint.Properties.ServiceName).replace(/^.*\./, '').replace(/^(api|dkr)$/, 'ecr.$1')} (${endpoint.Properties.VpcEndpointType})`);
  const vpcs = ofType(resources, /^AWS::EC2::VPC$/).map(([, vpc]) => show(vpc.Properties.CidrBlock));
  const firewall = ofType(resources, /^AWS::Route53Resolver::FirewallRuleGroup$/)
    .flatMap(([, group]) => group.Properties.FirewallRules.map((rule: Json) => `${rule.Action} ${short(rule.FirewallDomainListId['Fn::GetAtt'][0])}`));
  return [
    `VPC ${vpcs.join(', ') || '(existing)'}: ${azs.size} AZs, subnets ${[...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ')}, `
      + `NAT gateways ${ofType(resources, /^AWS::EC2::NatGateway$/).length}`,
    `Endpoints: ${endpoints.join(', ') || 'none'}`,
    `DNS firewall: ${firewall.join(', ') || 'none'}`,
  ];
}

/** Every rule of the agent tasks' security group, inline or standalone. */
function agentRules(resources: Resources): string[] {
  const [agentId, agentSg] = ofType(resources, /^AWS::EC2::SecurityGroup$/).find(([id]) => id.includes('AgentSecurityGroup')) ?? [];
  if (!agentId) return ['Agent security group: none'];
  const port = (rule: Json) => `${rule.IpProtocol}/${rule.FromPort === rule.ToPort ? rule.FromPort : `${rule.FromPort}-${rule.ToPort}`}`;
  const line = (direction: string, rule: Json, peer: Json) =>
    `    ${direction} ${port(rule).padEnd(9)} ${direction === 'in ' ? 'from' : 'to  '} ${show(peer)}${rule.Description ? ` (${rule.Description})` : ''}`;
  const ownedBy = (type: string) => ofType(resources, type === 'in' ? /^AWS::EC2::SecurityGroupIngress$/ : /^AWS::EC2::SecurityGroupEgress$/)
    .map(([, rule]) => rule.Properties).filter((rule) => rule.GroupId?.['Fn::GetAtt']?.[0] === agentId);
  return [
    `Agent security group ${short(agentId)}:`,
    ...(agentSg!.Properties.SecurityGroupIngress ?? []).map((rule: Json) => line('in ', rule, rule.CidrIp)),
    ...ownedBy('in').map((rule) => line('in ', rule, rule.SourceSecurityGroupId ?? rule.CidrIp)),
    ...(agentSg!.Properties.SecurityGroupEgress ?? []).map((rule: Json) => line('out', rule, rule.CidrIp)),
    ...ownedBy('out').map((rule) => line('out', rule, rule.DestinationSecurityGroupId ?? rule.CidrIp)),
  ];
}

function storage(resources: Resources): string[] {
  const buckets = ofType(resources, /^AWS::S3::Bucket$/).map(([id, { Properties: bucket, DeletionPolicy: policy }]) => {
    const sse = bucket.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault;
    const expiry = bucket.LifecycleConfiguration?.Rules?.map((rule: Json) => rule.ExpirationInDays).filter(Boolean);
    return `    ${short(id)}: ${sse ? sse.SSEAlgorithm + (sse.KMSMasterKeyID ? ` ${show(sse.KMSMasterKeyID)}` : '') : 'unencrypted'}, `
      + `${bucket.VersioningConfiguration?.Status === 'Enabled' ? 'versioned' : 'unversioned'}, `
      + `expire ${expiry?.length ? `${expiry.join('/')} days` : 'never'}, ${policy ?? 'Delete'}`;
  });
  const keys = (schema: Json[]) => schema.map((key) => `${key.AttributeName}${key.KeyType === 'RANGE' ? '↓' : ''}`).join('+');
  const tables = ofType(resources, /^AWS::DynamoDB::(Global)?Table$/).map(([id, { Properties: table, DeletionPolicy: policy }]) => {
    const indexes = (table.GlobalSecondaryIndexes ?? []).map((index: Json) => `${index.IndexName}(${keys(index.KeySchema)})`);
    return `    ${short(id)}: key ${keys(table.KeySchema)}; indexes ${indexes.join(', ') || 'none'}; ${policy ?? 'Delete'}`;
  });
  return ['Buckets (encryption, versioning, expiry, on delete):', ...buckets, 'Tables (partition+sort↓ key):', ...tables];
}

function api(resources: Resources, outputs: Record<string, Json>): string[] {
  return [
    'API routes:',
    ...ofType(resources, /^AWS::ApiGatewayV2::Route$/).map(([, route]) => `    ${route.Properties.RouteKey.padEnd(24)} ${route.Properties.AuthorizationType ?? 'NONE'}`),
    'Outputs:',
    ...Object.entries(outputs).map(([name, output]) => `    ${short(name)}: ${show(output.Value)}`),
  ];
}

/** An ECR image in this stack as `ECR <repository>:<tag>`; anything else as written. */
function image(uri: string): string {
  const ecr = /\/\$\{([^}]+)\}:([\w.-]+)$/.exec(uri);
  return ecr ? `ECR ${short(ecr[1])}:${ecr[2].slice(0, 12)}` : uri;
}

/** One line per agent task definition: agent, size, architecture, image, and where its API key comes from. */
function agents(resources: Resources): string[] {
  const environment = (container: Json, name: string) => container.Environment?.find((entry: Json) => entry.Name === name)?.Value;
  return [
    'Agents (task definitions):',
    ...ofType(resources, /^AWS::ECS::TaskDefinition$/).map(([, definition]) => {
      const props = definition.Properties;
      const container = props.ContainerDefinitions[0];
      const key = container.Secrets?.map((secret: Json) => secret.Name).join(', ')
        ?? (environment(container, 'CLAUDE_CODE_USE_BEDROCK') ? `Bedrock ${environment(container, 'ANTHROPIC_MODEL')}` : 'none');
      return `    ${String(environment(container, 'OUTPOST_AGENT')).padEnd(7)} ${props.Cpu} CPU, ${props.Memory} MiB, ${props.EphemeralStorage?.SizeInGiB ?? 20} GiB, `
        + `${props.RuntimePlatform?.CpuArchitecture ?? 'X86_64'}; image ${image(show(container.Image))}; key ${key}`;
    }),
  ];
}

function main(assemblyDir: string | undefined): void {
  if (!assemblyDir) throw new Error('usage: summarize-synth.ts <cdk.out directory>');
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} not found: synthesize first (e.g. npx projen quickstart)`);
  const artifacts: Record<string, Json> = JSON.parse(fs.readFileSync(manifestFile, 'utf8')).artifacts ?? {};
  const stacks = Object.entries(artifacts).filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack');
  if (stacks.length === 0) throw new Error(`no stacks in ${manifestFile}`);
  for (const [name, artifact] of stacks) {
    const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf8'));
    const resources: Resources = template.Resources ?? {};
    console.log(`Stack ${name} (${artifact.environment}): ${Object.keys(resources).length} resources`);
    console.log([...counts(resources), ...network(resources), ...agentRules(resources), ...storage(resources), ...agents(resources), ...api(resources, template.Outputs ?? {})].join('\n'));
  }
}

try {
  main(process.argv[2]);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
