import type { CfnTemplate } from './template';

/** What a deployed resource answers to `Ref` and `Fn::GetAtt`. */
export interface DeployedResource {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** The stack's pseudo parameters (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html). */
export interface PseudoParameters {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly partition?: string;
  readonly urlSuffix?: string;
}

/**
 * Resolves CloudFormation's intrinsic functions in a template value as a deploy would
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html): Ref,
 * Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or,
 * Fn::GetAZs (three zones, a to c), Fn::Base64 and condition names. A reference to a resource not deployed, or an attribute it lacks, throws
 * naming both: Outpost Local must not run a handler with a value a deploy would not give it.
 */
export class Intrinsics {
  private readonly pseudo: Readonly<Record<string, string>>;

  constructor(
    private readonly template: CfnTemplate,
    private readonly deployed: (logicalId: string) => DeployedResource | undefined,
    pseudo: PseudoParameters,
  ) {
    const partition = pseudo.partition ?? 'aws';
    this.pseudo = {
      'AWS::Region': pseudo.region,
      'AWS::AccountId': pseudo.accountId,
      'AWS::StackName': pseudo.stackName,
      'AWS::StackId': `arn:${partition}:cloudformation:${pseudo.region}:${pseudo.accountId}:stack/${pseudo.stackName}/00000000-0000-0000-0000-000000000000`,
      'AWS::Partition': partition,
      'AWS::URLSuffix': pseudo.urlSuffix ?? 'amazonaws.com',
    };
  }

  /** The value with every intrinsic resolved; `AWS::NoValue` removes the key or element it stands for. */
  public resolve(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((element) => this.resolve(element)).filter((element) => element !== NO_VALUE);
    }
    if (typeof value !== 'object' || value === null) {
      return value;
    }
    const entries = Object.entries(value);
    if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::') || entries[0][0] === 'Condition')) {
      return this.intrinsic(entries[0][0], entries[0][1]);
    }
    const resolved: Record<string, unknown> = {};
    for (const [key, element] of entries) {
      const result = this.resolve(element);
      if (result !== NO_VALUE) {
        resolved[key] = result;
      }
    }
    return resolved;
  }

  /** A value that must resolve to a string. */
  public string(value: unknown, what: string): string {
    const resolved = this.resolve(value);
    if (typeof resolved !== 'string' && typeof resolved !== 'number') {
      throw new Error(`${what} resolves to ${JSON.stringify(resolved)}, not a string`);
    }
    return String(resolved);
  }

  /** Whether the named condition of the template holds. */
  public condition(name: string): boolean {
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) {
      throw new Error(`the template has no condition ${name}`);
    }
    return Boolean(this.resolve(definition));
  }

  private intrinsic(name: string, argument: unknown): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(argument as string);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = typeof argument === 'string' ? splitOnce(argument, '.') : (argument as [string, string]);
        return this.attribute(logicalId, this.string(attribute, `Fn::GetAtt of ${logicalId}`));
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return (this.resolve(parts) as unknown[]).map((part) => this.scalar(part, 'Fn::Join')).join(separator);
      }
      case 'Fn::Sub':
        return this.sub(argument);
      case 'Fn::Select': {
        const [index, list] = argument as [unknown, unknown];
        const items = this.resolve(list) as unknown[];
        const at = Number(this.resolve(index));
        if (!Array.isArray(items) || !(at >= 0 && at < items.length)) {
          throw new Error(`Fn::Select ${at} of ${JSON.stringify(items)} is out of range`);
        }
        return items[at];
      }
      case 'Fn::Split': {
        const [separator, source] = argument as [string, unknown];
        return this.string(source, 'Fn::Split').split(separator);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
        return this.resolve(this.condition(condition) ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [left, right] = argument as [unknown, unknown];
        return JSON.stringify(this.resolve(left)) === JSON.stringify(this.resolve(right));
      }
      case 'Fn::Not':
        return !this.resolve((argument as unknown[])[0]);
      case 'Fn::And':
        return (argument as unknown[]).every((operand) => Boolean(this.resolve(operand)));
      case 'Fn::Or':
        return (argument as unknown[]).some((operand) => Boolean(this.resolve(operand)));
      case 'Condition':
        return this.condition(argument as string);
      case 'Fn::GetAZs': {
        const region = this.string(argument === '' ? this.pseudo['AWS::Region'] : argument, 'Fn::GetAZs');
        return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
      }
      case 'Fn::Base64':
        return Buffer.from(this.string(argument, 'Fn::Base64')).toString('base64');
      default:
        throw new Error(`Outpost Local does not resolve ${name}`);
    }
  }

  private ref(name: string): unknown {
    if (name === 'AWS::NoValue') {
      return NO_VALUE;
    }
    if (name in this.pseudo) {
      return this.pseudo[name];
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      return parameter.Default;
    }
    const deployed = this.deployed(name);
    if (!deployed) {
      throw new Error(`Ref ${name}: no such resource deployed`);
    }
    return deployed.ref;
  }

  private attribute(logicalId: string, attribute: string): string {
    const deployed = this.deployed(logicalId);
    const value = deployed?.attributes[attribute];
    if (value === undefined) {
      throw new Error(`Fn::GetAtt ${logicalId}.${attribute}: ${deployed ? 'the resource has no such attribute here' : 'no such resource deployed'}`);
    }
    return value;
  }

  private sub(argument: unknown): string {
    const [text, variables] = typeof argument === 'string' ? [argument, {}] : (argument as [string, Record<string, unknown>]);
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_whole, name: string) => {
      if (name in variables) {
        return this.scalar(this.resolve(variables[name]), `Fn::Sub \${${name}}`);
      }
      if (name.includes('.')) {
        const [logicalId, attribute] = splitOnce(name, '.');
        return this.attribute(logicalId, attribute);
      }
      return this.scalar(this.ref(name), `Fn::Sub \${${name}}`);
    }).replace(/\$\{!/g, '${');
  }

  private scalar(value: unknown, what: string): string {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`${what}: ${JSON.stringify(value)} is not a string`);
    }
    return String(value);
  }
}

/** `AWS::NoValue`: drops the key or element that resolves to it. */
const NO_VALUE = Symbol('AWS::NoValue');

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
}
