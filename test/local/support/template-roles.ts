import type { GatePrincipal, PolicyDocument } from '../../../runtime/local/iam';

/**
 * A synthesized template's roles as the IAM gate takes them: each function's role with its policies, every
 * intrinsic resolved to the names and ARNs CloudFormation would give in `region` and `account`. Physical names
 * are the logical ids (or the name a resource sets itself). A test-only stand-in for Outpost Local's own
 * template reading, enough to feed the gate the template's real policies.
 */
export class TemplateRoles {
  constructor(private readonly template: { Resources: Record<string, any> }, readonly region: string, readonly account: string) {}

  /** The role of the only function whose logical id contains `hint`, with every policy attached to it. */
  principalOfFunction(hint: string): GatePrincipal {
    const functionId = this.logicalId('AWS::Lambda::Function', hint);
    const roleId = this.template.Resources[functionId].Properties.Role['Fn::GetAtt'][0];
    const attached = (policy: any) => (policy.Properties.Roles ?? []).some((role: any) => role.Ref === roleId);
    const role = this.template.Resources[roleId].Properties;
    const managedArns = (role.ManagedPolicyArns ?? []).map((arn: unknown) => this.resolve(arn));
    const documents: unknown[] = [
      ...this.resources('AWS::IAM::Policy').filter(attached).map((policy) => policy.Properties.PolicyDocument),
      ...this.resources('AWS::IAM::ManagedPolicy')
        .filter((policy) => attached(policy) || managedArns.includes(this.resolve({ Ref: this.idOf(policy) })))
        .map((policy) => policy.Properties.PolicyDocument),
      ...(role.Policies ?? []).map((policy: any) => policy.PolicyDocument),
    ];
    const policies = documents.map((document) => this.resolve(document) as PolicyDocument);
    return { arn: this.arnOf(roleId), sessionName: this.nameOf(functionId), policies };
  }

  /** The logical id of the only resource of `type` whose logical id contains `hint`. */
  logicalId(type: string, hint: string): string {
    const ids = Object.keys(this.template.Resources).filter((id) => this.template.Resources[id].Type === type && id.includes(hint));
    if (ids.length !== 1) {
      throw new Error(`expected one ${type} with "${hint}" in its logical id, found ${ids.length}: ${ids.join(', ')}`);
    }
    return ids[0];
  }

  /** A resource's properties, resolved. */
  propertiesOf(id: string): Record<string, any> {
    return this.resolve(this.template.Resources[id].Properties) as Record<string, any>;
  }

  /** A value with its intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Sub) replaced by what CloudFormation gives. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.resolve(item));
    }
    if (typeof value !== 'object' || value === null) {
      return value;
    }
    const intrinsic = value as Record<string, any>;
    if ('Ref' in intrinsic) {
      return this.ref(intrinsic.Ref);
    }
    if ('Fn::GetAtt' in intrinsic) {
      const [id, attribute] = intrinsic['Fn::GetAtt'];
      return attribute === 'StreamArn' ? `${this.arnOf(id)}/stream/2026-01-01T00:00:00.000` : attribute === 'Arn' ? this.arnOf(id) : this.nameOf(id);
    }
    if ('Fn::Join' in intrinsic) {
      const [separator, parts] = intrinsic['Fn::Join'];
      return (this.resolve(parts) as string[]).join(separator);
    }
    if ('Fn::Sub' in intrinsic) {
      return String(intrinsic['Fn::Sub']).replace(/\$\{([^}]+)\}/g, (_, name: string) => String(this.ref(name)));
    }
    return Object.fromEntries(Object.entries(intrinsic).map(([key, item]) => [key, this.resolve(item)]));
  }

  /** A resource's name: the one it sets itself, else its logical id. */
  nameOf(id: string): string {
    const properties = this.template.Resources[id]?.Properties ?? {};
    const own = properties.FunctionName ?? properties.TableName ?? properties.ClusterName ?? properties.Family
      ?? properties.RoleName ?? properties.BucketName;
    return typeof own === 'string' ? own : id;
  }

  /** The ARN CloudFormation's `Arn` attribute (or `Ref`, for types whose Ref is an ARN) gives. */
  arnOf(id: string): string {
    const name = this.nameOf(id);
    const regional = (service: string, resource: string) => `arn:aws:${service}:${this.region}:${this.account}:${resource}`;
    switch (this.template.Resources[id]?.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable': return regional('dynamodb', `table/${name}`);
      case 'AWS::ECS::Cluster': return regional('ecs', `cluster/${name}`);
      case 'AWS::ECS::TaskDefinition': return regional('ecs', `task-definition/${name}:1`);
      case 'AWS::IAM::Role': return `arn:aws:iam::${this.account}:role/${name}`;
      case 'AWS::IAM::ManagedPolicy': return `arn:aws:iam::${this.account}:policy/${name}`;
      case 'AWS::Logs::LogGroup': return regional('logs', `log-group:${name}:*`);
      case 'AWS::S3::Bucket': return `arn:aws:s3:::${name.toLowerCase()}`;
      case 'AWS::KMS::Key': return regional('kms', `key/${name}`);
      case 'AWS::Events::EventBus': return regional('events', `event-bus/${name}`);
      case 'AWS::EFS::FileSystem': return regional('elasticfilesystem', `file-system/${name}`);
      case 'AWS::EFS::AccessPoint': return regional('elasticfilesystem', `access-point/${name}`);
      case 'AWS::Lambda::Function': return regional('lambda', `function:${name}`);
      case 'AWS::SecretsManager::Secret': return regional('secretsmanager', `secret:${name}-AbCdEf`);
      default: return regional(String(this.template.Resources[id]?.Type ?? 'unknown').split('::')[1]?.toLowerCase() ?? 'unknown', name);
    }
  }

  private ref(name: string): unknown {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws', 'AWS::Region': this.region, 'AWS::AccountId': this.account, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::StackName': 'Test',
    };
    if (name in pseudo) {
      return pseudo[name];
    }
    const type = this.template.Resources[name]?.Type;
    const refIsArn = ['AWS::ECS::TaskDefinition', 'AWS::IAM::ManagedPolicy', 'AWS::SNS::Topic', 'AWS::SecretsManager::Secret'];
    if (refIsArn.includes(type)) {
      return this.arnOf(name);
    }
    return type === 'AWS::S3::Bucket' ? this.nameOf(name).toLowerCase() : this.nameOf(name);
  }

  private resources(type: string): any[] {
    return Object.values(this.template.Resources).filter((resource) => resource.Type === type);
  }

  private idOf(resource: unknown): string {
    return Object.keys(this.template.Resources).find((id) => this.template.Resources[id] === resource)!;
  }
}
