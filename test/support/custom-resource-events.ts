import { documentedFixture, shapeDifferences } from './documented-shape';

export type RequestType = 'Create' | 'Update' | 'Delete';

/** CloudFormation's documented custom resource requests and response (fixtures/cloudformation-custom-resource.json). */
export function documentedCustomResource(): { source: string; requests: Record<RequestType, any>; response: any } {
  return documentedFixture('cloudformation-custom-resource.json');
}

export interface CustomResourceRequestOptions {
  /** Where the provider PUTs its answer. */
  readonly responseUrl: string;
  /** The id the provider answered the Create with: Update and Delete carry it. @default 'outpost-pool-drain' */
  readonly physicalResourceId?: string;
  /** @default 'Custom::OutpostPoolDrain' (src/pool/warm-pools.ts) */
  readonly resourceType?: string;
  /** @default 'PoolDrain' */
  readonly logicalResourceId?: string;
  /** @default the stack's id in the documented example */
  readonly stackId?: string;
  /** @default 'request-1' */
  readonly requestId?: string;
  /** The template's Properties; for a Lambda-backed resource, its ServiceToken. */
  readonly properties?: Record<string, unknown>;
}

/** The scaler's function, as the drain resource's ServiceToken names it. */
const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:outpost-pool-scaler';

/**
 * What CloudFormation sends a Lambda-backed custom resource: the documented example of `type` with this
 * resource's values, and no field the example lacks (Create has no PhysicalResourceId, only Update has
 * OldResourceProperties).
 */
export function customResourceRequest(type: RequestType, options: CustomResourceRequestOptions): Record<string, unknown> {
  const documented = documentedCustomResource().requests[type];
  const properties = options.properties ?? { ServiceToken: SERVICE_TOKEN };
  const values: Record<string, unknown> = {
    RequestType: type,
    RequestId: options.requestId ?? 'request-1',
    ResponseURL: options.responseUrl,
    ResourceType: options.resourceType ?? 'Custom::OutpostPoolDrain',
    LogicalResourceId: options.logicalResourceId ?? 'PoolDrain',
    StackId: options.stackId ?? documented.StackId,
    PhysicalResourceId: options.physicalResourceId ?? 'outpost-pool-drain',
    ResourceProperties: properties,
    OldResourceProperties: properties,
  };
  return Object.fromEntries(Object.keys(documented).map((key) => [key, values[key]]));
}

/** Why CloudFormation would not take `response` (the body PUT to ResponseURL) for `request`; none when it would. */
export function customResourceResponseProblems(response: Record<string, unknown>, request: Record<string, unknown>): string[] {
  const problems = shapeDifferences(response, documentedCustomResource().response, { optional: ['Reason', 'NoEcho', 'Data'], openMaps: ['Data'] });
  if (response.Status !== 'SUCCESS' && response.Status !== 'FAILED') {
    problems.push(`Status: ${String(response.Status)} is neither SUCCESS nor FAILED`);
  }
  if (response.Status === 'FAILED' && !response.Reason) {
    problems.push('Reason: required when FAILED');
  }
  for (const copied of ['StackId', 'RequestId', 'LogicalResourceId']) {
    if (response[copied] !== request[copied]) {
      problems.push(`${copied}: must be the request's ${String(request[copied])}, got ${String(response[copied])}`);
    }
  }
  if (Buffer.byteLength(JSON.stringify(response)) > 4096) {
    problems.push('the response is over 4096 bytes');
  }
  return problems;
}
