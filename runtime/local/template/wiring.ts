import { property, referencedId, resourcesOfType, type CfnTemplate } from './template';

/** A Lambda function as the template declares it; values still as written (intrinsics unresolved). */
export interface FunctionWiring {
  readonly logicalId: string;
  /** The asset's object key (`<hash>.zip`): the asset folder `asset.<hash>` beside the template holds the code. */
  readonly codeKey: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMiB: number;
  /** The role's logical id. */
  readonly role: string;
  readonly environment: Readonly<Record<string, unknown>>;
}

/** An HTTP API route and the function its integration invokes. */
export interface RouteWiring {
  readonly logicalId: string;
  readonly method: string;
  /** As declared, e.g. `/dispatch/{id}/logs`. */
  readonly path: string;
  readonly authorization: string;
  readonly function: string;
  readonly payloadFormatVersion: string;
}

/** An EventBridge rule's target that invokes a function. */
export interface RuleTargetWiring {
  readonly id: string;
  readonly function: string;
  readonly maximumRetryAttempts?: number;
  /** The dead-letter queue's logical id. */
  readonly deadLetterQueue?: string;
  readonly input?: string;
}

/** An EventBridge rule with an event pattern. */
export interface RuleWiring {
  readonly logicalId: string;
  /** The bus's logical id; undefined for the account's default bus. */
  readonly eventBus?: string;
  /** As written: may hold intrinsics (a cluster ARN). */
  readonly eventPattern: unknown;
  readonly enabled: boolean;
  readonly targets: readonly RuleTargetWiring[];
}

/** An EventBridge rule on a schedule. */
export interface ScheduleWiring {
  readonly logicalId: string;
  /** `rate(1 minute)` or `cron(...)`. */
  readonly expression: string;
  readonly enabled: boolean;
  readonly targets: readonly RuleTargetWiring[];
}

/** A DynamoDB stream's event source mapping, with what Lambda does with its batches. */
export interface StreamMappingWiring {
  readonly logicalId: string;
  readonly function: string;
  /** The table's logical id (the source is its `StreamArn`). */
  readonly table: string;
  /** Each filter's pattern, parsed. */
  readonly filters: readonly unknown[];
  readonly batchSize: number;
  readonly maximumRetryAttempts: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly reportBatchItemFailures: boolean;
  readonly maximumRecordAgeSeconds?: number;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** The on-failure destination queue's logical id. */
  readonly onFailure?: string;
}

/** How a function is invoked asynchronously (AWS::Lambda::EventInvokeConfig, or Lambda's defaults). */
export interface AsyncInvokeWiring {
  readonly function: string;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
  /** The on-failure destination queue's logical id. */
  readonly onFailure?: string;
}

/** Every wiring of the template that decides what runs when. */
export interface PlatformWiring {
  readonly functions: readonly FunctionWiring[];
  readonly routes: readonly RouteWiring[];
  readonly rules: readonly RuleWiring[];
  readonly schedules: readonly ScheduleWiring[];
  readonly streamMappings: readonly StreamMappingWiring[];
  readonly asyncInvokes: readonly AsyncInvokeWiring[];
}

/** Lambda's defaults for asynchronous invocation (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html). */
const ASYNC_DEFAULTS = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 };
/** Lambda's default for a stream mapping without MaximumRetryAttempts: -1, retry until the record expires. */
const RETRY_UNTIL_EXPIRED = -1;

/**
 * Reads every wiring from a synthesized template: routes, rules, schedules, stream mappings and async
 * invocation settings, each naming the functions it invokes. A wiring Outpost Local cannot honour (a rule
 * target that is not a function, a route integration of another type) throws, naming it: nothing is skipped.
 */
export function readWiring(template: CfnTemplate): PlatformWiring {
  const functions = resourcesOfType(template, 'AWS::Lambda::Function').map(([logicalId, resource]): FunctionWiring => {
    const code = property<Record<string, unknown>>(logicalId, resource, 'Code');
    if (typeof code.S3Key !== 'string') {
      throw new Error(`AWS::Lambda::Function ${logicalId}: its code is not a file asset (Code.S3Key), which Outpost Local cannot load`);
    }
    return {
      logicalId,
      codeKey: code.S3Key,
      handler: property<string>(logicalId, resource, 'Handler'),
      timeoutSeconds: Number(resource.Properties?.Timeout ?? 3),
      memoryMiB: Number(resource.Properties?.MemorySize ?? 128),
      role: requireReference(logicalId, property(logicalId, resource, 'Role'), 'Role'),
      environment: (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
    };
  });
  const functionIds = new Set(functions.map((fn) => fn.logicalId));
  const toFunction = (owner: string, value: unknown, what: string): string => {
    const id = requireReference(owner, value, what);
    if (!functionIds.has(id)) {
      throw new Error(`${owner}: ${what} names ${id}, which is not a Lambda function of the template`);
    }
    return id;
  };

  const integrations = new Map(resourcesOfType(template, 'AWS::ApiGatewayV2::Integration').map(([logicalId, resource]) => {
    const type = property<string>(logicalId, resource, 'IntegrationType');
    if (type !== 'AWS_PROXY') {
      throw new Error(`AWS::ApiGatewayV2::Integration ${logicalId} is ${type}: Outpost Local serves Lambda proxy integrations only`);
    }
    return [logicalId, {
      function: toFunction(logicalId, property(logicalId, resource, 'IntegrationUri'), 'IntegrationUri'),
      payloadFormatVersion: String(resource.Properties?.PayloadFormatVersion ?? '2.0'),
    }];
  }));
  const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([logicalId, resource]): RouteWiring => {
    const [method, path] = property<string>(logicalId, resource, 'RouteKey').split(' ');
    const integration = integrations.get(integrationId(logicalId, property(logicalId, resource, 'Target')));
    if (!integration) {
      throw new Error(`AWS::ApiGatewayV2::Route ${logicalId}: its target is not an integration of the template`);
    }
    return { logicalId, method, path, authorization: String(resource.Properties?.AuthorizationType ?? 'NONE'), ...integration };
  });

  const rules: RuleWiring[] = [];
  const schedules: ScheduleWiring[] = [];
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Events::Rule')) {
    const props = resource.Properties ?? {};
    const targets = ((props.Targets ?? []) as Array<Record<string, any>>).map((target): RuleTargetWiring => ({
      id: String(target.Id),
      function: toFunction(logicalId, target.Arn, `target ${target.Id}`),
      maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts,
      deadLetterQueue: target.DeadLetterConfig ? requireReference(logicalId, target.DeadLetterConfig.Arn, 'DeadLetterConfig') : undefined,
      input: target.Input,
    }));
    const enabled = (props.State ?? 'ENABLED') === 'ENABLED';
    if (props.ScheduleExpression !== undefined) {
      schedules.push({ logicalId, expression: String(props.ScheduleExpression), enabled, targets });
    } else {
      rules.push({
        logicalId,
        eventBus: props.EventBusName === undefined ? undefined : requireReference(logicalId, props.EventBusName, 'EventBusName'),
        eventPattern: property(logicalId, resource, 'EventPattern'),
        enabled,
        targets,
      });
    }
  }

  const streamMappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').map(([logicalId, resource]): StreamMappingWiring => {
    const props = resource.Properties ?? {};
    const source = property<Record<string, unknown>>(logicalId, resource, 'EventSourceArn');
    const getAtt = source['Fn::GetAtt'] as [string, string] | undefined;
    if (!getAtt || getAtt[1] !== 'StreamArn') {
      throw new Error(`AWS::Lambda::EventSourceMapping ${logicalId}: its source is not a DynamoDB table's stream, which is all Outpost Local reads`);
    }
    const destination = (props.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination;
    const filterCriteria = props.FilterCriteria as { Filters?: Array<{ Pattern: string }> } | undefined;
    return {
      logicalId,
      function: toFunction(logicalId, props.FunctionName, 'FunctionName'),
      table: getAtt[0],
      filters: (filterCriteria?.Filters ?? []).map((filter) => JSON.parse(filter.Pattern)),
      batchSize: Number(props.BatchSize ?? 100),
      maximumRetryAttempts: Number(props.MaximumRetryAttempts ?? RETRY_UNTIL_EXPIRED),
      bisectBatchOnFunctionError: props.BisectBatchOnFunctionError === true,
      reportBatchItemFailures: ((props.FunctionResponseTypes ?? []) as string[]).includes('ReportBatchItemFailures'),
      maximumRecordAgeSeconds: props.MaximumRecordAgeInSeconds === undefined ? undefined : Number(props.MaximumRecordAgeInSeconds),
      startingPosition: property(logicalId, resource, 'StartingPosition'),
      onFailure: destination === undefined ? undefined : requireReference(logicalId, destination, 'DestinationConfig.OnFailure'),
    };
  });

  const configured = new Map(resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').map(([logicalId, resource]) => {
    const props = resource.Properties ?? {};
    const destination = (props.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination;
    const fn = toFunction(logicalId, props.FunctionName, 'FunctionName');
    return [fn, {
      function: fn,
      maximumRetryAttempts: Number(props.MaximumRetryAttempts ?? ASYNC_DEFAULTS.maximumRetryAttempts),
      maximumEventAgeSeconds: Number(props.MaximumEventAgeInSeconds ?? ASYNC_DEFAULTS.maximumEventAgeSeconds),
      onFailure: destination === undefined ? undefined : requireReference(logicalId, destination, 'DestinationConfig.OnFailure'),
    }];
  }));
  const deadLetters = new Map(resourcesOfType(template, 'AWS::Lambda::Function').flatMap(([logicalId, resource]) => {
    const target = (resource.Properties?.DeadLetterConfig as { TargetArn?: unknown } | undefined)?.TargetArn;
    return target === undefined ? [] : [[logicalId, requireReference(logicalId, target, 'DeadLetterConfig')] as const];
  }));
  const asyncInvokes = functions.map((fn): AsyncInvokeWiring => configured.get(fn.logicalId)
    ?? { function: fn.logicalId, ...ASYNC_DEFAULTS, onFailure: deadLetters.get(fn.logicalId) });

  return { functions, routes, rules, schedules, streamMappings, asyncInvokes };
}

/** How many wirings of each kind the template has, and Outpost Local reads: a count to show none is skipped. */
export function wiringCounts(wiring: PlatformWiring): Record<keyof Omit<PlatformWiring, 'asyncInvokes'>, number> {
  return {
    functions: wiring.functions.length,
    routes: wiring.routes.length,
    rules: wiring.rules.length,
    schedules: wiring.schedules.length,
    streamMappings: wiring.streamMappings.length,
  };
}

function requireReference(owner: string, value: unknown, what: string): string {
  const id = referencedId(value);
  if (id === undefined) {
    throw new Error(`${owner}: ${what} is ${JSON.stringify(value)}, not a reference to a resource of the template`);
  }
  return id;
}

/** `integrations/<id>` as `Fn::Join` writes it. */
function integrationId(owner: string, target: unknown): string {
  const parts = (target as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1];
  const id = parts?.map((part) => referencedId(part)).find((found) => found !== undefined);
  if (id === undefined) {
    throw new Error(`AWS::ApiGatewayV2::Route ${owner}: its Target ${JSON.stringify(target)} does not name an integration`);
  }
  return id;
}
