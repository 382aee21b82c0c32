import { dynamodbAuthorizations, dynamodbStreamsAuthorizations } from './dynamodb';
import { ecsAuthorizations } from './ecs';
import { efsAuthorizations } from './efs';
import { eventsAuthorizations } from './events';
import { kmsAuthorizations } from './kms';
import { lambdaInvocation } from './lambda';
import { logsAuthorizations } from './logs';
import { jsonInput, UnknownOperation, type ArnContext, type GateOperation, type Protocol } from './operation';
import { s3Authorizations } from './s3';
import { secretsManagerAuthorizations } from './secrets-manager';
import { snsAuthorizations } from './sns';
import { sqsAuthorizations } from './sqs';
import type { Authorization } from '../policy/policy-document';

/** A request as the gate classifies it: what arrived, and the signing name of the service it was signed for. */
export interface ClassifiedRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
  readonly service: string;
}

type JsonMapper = (operation: string, input: Record<string, any>, context: ArnContext) => Authorization[] | Promise<Authorization[]>;

/** The JSON protocols' `X-Amz-Target` prefixes, with their protocol and their mapping. */
const JSON_TARGETS: Readonly<Record<string, { protocol: Protocol; service: string; map: JsonMapper }>> = {
  DynamoDB_20120810: { protocol: 'json-1.0', service: 'dynamodb', map: dynamodbAuthorizations },
  DynamoDBStreams_20120810: { protocol: 'json-1.0', service: 'dynamodb', map: dynamodbStreamsAuthorizations },
  AmazonEC2ContainerServiceV20141113: { protocol: 'json-1.1', service: 'ecs', map: ecsAuthorizations },
  secretsmanager: { protocol: 'json-1.1', service: 'secretsmanager', map: secretsManagerAuthorizations },
  AWSEvents: { protocol: 'json-1.1', service: 'events', map: eventsAuthorizations },
  Logs_20140328: { protocol: 'json-1.1', service: 'logs', map: logsAuthorizations },
  TrentService: { protocol: 'json-1.1', service: 'kms', map: kmsAuthorizations },
  AmazonSQS: { protocol: 'json-1.0', service: 'sqs', map: sqsAuthorizations },
};

/** The protocol a request speaks, which the gate's own answers to it must speak too. */
export function protocolOf(request: Pick<ClassifiedRequest, 'headers' | 'service'>): Protocol {
  const target = request.headers['x-amz-target'];
  if (target) {
    return JSON_TARGETS[target.split('.')[0]]?.protocol ?? (request.headers['content-type']?.includes('1.0') ? 'json-1.0' : 'json-1.1');
  }
  if (request.service === 's3') {
    return 'rest-xml';
  }
  return request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? 'query' : 'rest-json';
}

/** What the request asks, as IAM sees it; {@link UnknownOperation} when the gate cannot tell. */
export async function classify(request: ClassifiedRequest, context: ArnContext): Promise<GateOperation> {
  const protocol = protocolOf(request);
  const target = request.headers['x-amz-target'];
  if (target) {
    const [prefix, operation] = target.split('.');
    const known = JSON_TARGETS[prefix];
    if (!known) {
      throw new UnknownOperation(protocol, `${target} (${request.service})`);
    }
    const authorizations = await known.map(operation, jsonInput(request.body), context);
    return { name: `${known.service}:${operation}`, protocol, authorizations, answer: 'forward' };
  }
  if (protocol === 'query') {
    const form = new URLSearchParams(request.body.toString('utf8'));
    const operation = form.get('Action') ?? '';
    if (request.service === 'sts' && operation === 'GetCallerIdentity') {
      // STS answers GetCallerIdentity to any valid credentials; no policy can deny it.
      return { name: 'sts:GetCallerIdentity', protocol, authorizations: [], answer: 'caller-identity' };
    }
    if (request.service === 'sns') {
      return { name: `sns:${operation}`, protocol, authorizations: snsAuthorizations(operation, form), answer: 'forward' };
    }
    throw new UnknownOperation(protocol, `${request.service}:${operation}`);
  }
  const path = request.rawPath;
  switch (request.service) {
    case 'lambda': {
      const { authorizations, invocation } = lambdaInvocation(request.method, path, request.headers['x-amz-invocation-type'], context);
      return { name: 'lambda:Invoke', protocol, authorizations, answer: { invoke: invocation } };
    }
    case 'elasticfilesystem': {
      const authorizations = await efsAuthorizations(request.method, path, request.query, request.body, context);
      return { name: authorizations[0].action, protocol, authorizations, answer: 'forward' };
    }
    case 's3': {
      const authorizations = s3Authorizations(request.method, path, request.query, request.headers);
      return { name: authorizations[0].action, protocol, authorizations, answer: 'forward' };
    }
    default:
      throw new UnknownOperation(protocol, `${request.service} ${request.method} ${path}`);
  }
}
