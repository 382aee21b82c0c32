import { randomBytes } from 'crypto';

/** A request as the local HTTP API received it, after its route matched and its caller was authenticated. */
export interface ReceivedRequest {
  readonly method: string;
  readonly routeKey: string;
  readonly rawPath: string;
  readonly query: URLSearchParams;
  /** Lowercase names, as payload format 2.0 has them; repeated headers joined with commas. */
  readonly headers: Readonly<Record<string, string>>;
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly sourceIp: string;
}

/** The caller, as IAM authorization establishes it. */
export interface IamCaller {
  readonly arn: string;
  readonly accessKeyId: string;
  /** The principal's unique id (`AROA…:session` for a role session, `AIDA…` for a user). */
  readonly userId: string;
}

export interface ApiIdentity {
  readonly apiId: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * The Lambda event an HTTP API (payload format 2.0) delivers for a request under IAM authorization, field for
 * field as the API Gateway developer guide's "Payload format structure" example for 2.0 shows it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html),
 * with the IAM authorizer context of AWS's IAM-authorized example (aws/aws-lambda-go,
 * events/testdata/apigw-v2-request-iam.json). What the API never sends is left out as API Gateway leaves it
 * out: cookies, stage variables, a client certificate, and path parameters, a query or a body when there are none.
 */
export function httpApiEvent(request: ReceivedRequest, caller: IamCaller, api: ApiIdentity, now: Date = new Date()): object {
  const domainName = `${api.apiId}.execute-api.${api.region}.amazonaws.com`;
  const query: Record<string, string> = {};
  for (const name of new Set(request.query.keys())) {
    query[name] = request.query.getAll(name).join(',');
  }
  const text = request.body.toString('utf8');
  // A body that is not valid UTF-8 travels base64-encoded, as API Gateway sends binary bodies.
  const binary = request.body.length > 0 && Buffer.from(text, 'utf8').compare(request.body) !== 0;
  const event = {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.query.toString(),
    headers: request.headers,
    queryStringParameters: Object.keys(query).length === 0 ? undefined : query,
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      authorizer: {
        iam: {
          accessKey: caller.accessKeyId,
          accountId: /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(caller.arn)?.[1] ?? api.accountId,
          callerId: caller.userId,
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: caller.arn,
          userId: caller.userId,
        },
      },
      domainName,
      domainPrefix: api.apiId,
      http: { method: request.method, path: request.rawPath, protocol: 'HTTP/1.1', sourceIp: request.sourceIp, userAgent: request.headers['user-agent'] ?? '' },
      requestId: randomBytes(8).toString('base64url'),
      routeKey: request.routeKey,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    pathParameters: request.pathParameters,
    body: request.body.length === 0 ? undefined : binary ? request.body.toString('base64') : text,
    isBase64Encoded: binary,
  };
  // Through JSON, as Lambda delivers it: absent, not undefined.
  return JSON.parse(JSON.stringify(event));
}

/** `12/Mar/2020:19:03:58 +0000`, API Gateway's `time`. */
function apiGatewayTime(at: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(at.getUTCDate())}/${months[at.getUTCMonth()]}/${at.getUTCFullYear()}:${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`;
}
