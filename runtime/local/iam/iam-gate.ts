import * as http from 'http';
import type { AddressInfo } from 'net';
import { firstDenial, type Denial } from './authorize';
import { callerIdentityAnswer } from './caller-identity';
import { errorAnswer, INVALID_TOKEN, SIGNATURE_MISMATCH, type Answer, type Refusal } from './error-answers';
import { GateCredentials, type Credentials, type GatePrincipal, type Session } from './gate-credentials';
import { invokeAnswer, type InvokeCallback } from './lambda-invoke-answer';
import { classify, protocolOf } from './operations/classify';
import { UnknownOperation, type ArnContext, type GateOperation, type Protocol } from './operations/operation';
import type { PolicyDocument } from './policy/policy-document';
import { NotAPostUpload, readPostUpload } from './post-policy';
import { readRequest, type ArrivedRequest } from './received-request';
import { findSignature, UnsignedRequest, type FoundSignature } from './request-signature';
import { Upstream } from './upstream';

export interface IamGateOptions {
  /** moto's endpoint, started without INITIAL_NO_AUTH_ACTION_COUNT. */
  readonly upstream: string;
  readonly region: string;
  /** The account of every ARN the gate works out; moto is told to keep resources in it (`x-moto-account-id`). */
  readonly accountId: string;
  /** Runs a Lambda function locally, for Invoke requests. */
  readonly invoke: InvokeCallback;
}

export interface IamGate {
  /** `http://127.0.0.1:<port>`: the AWS_ENDPOINT_URL of every process whose calls the gate checks. */
  readonly endpoint: string;
  /** The most recent denials, oldest first, for the CLI to show. */
  readonly denials: readonly Denial[];
  /** Temporary credentials for a role: requests signed with them are allowed what its policies allow. */
  issueCredentials(principal: GatePrincipal): Credentials;
  /** The session credentials were issued for, by access key id (for the HTTP API's own signature check). */
  session(accessKeyId: string): Session | undefined;
  /**
   * The resource-based policy of a resource, by its ARN: a KMS key policy (which decides whether IAM policies
   * count at all), a bucket policy, a queue policy. Resolved JSON, as the template gives it.
   */
  setResourcePolicy(resourceArn: string, policy: PolicyDocument): void;
  stop(): Promise<void>;
}

const KEPT_DENIALS = 100;

/**
 * Starts an HTTP server on loopback between the platform's handlers and moto. It checks each request's SigV4
 * signature against the credentials it issued, works out the IAM actions and resources the request needs, and
 * evaluates the caller's identity-based policies: allowed requests go on to moto, others get the service's own
 * AccessDenied. moto's own IAM enforcement checks every action against resource `*` only, which is why the gate
 * exists (docs/local.md, "Permissions").
 */
export async function startIamGate(options: IamGateOptions): Promise<IamGate> {
  const gate = new Gate(options);
  const server = http.createServer((request, response) => {
    gate.handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(502, { 'content-type': 'text/plain' });
      }
      response.end(`IAM gate: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    denials: gate.denials,
    issueCredentials: (principal) => gate.credentials.issue(principal),
    session: (accessKeyId) => gate.credentials.find(accessKeyId),
    setResourcePolicy: (resourceArn, policy) => gate.resourcePolicies.set(resourceArn, policy),
    stop: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}

class Gate {
  readonly credentials = new GateCredentials();
  readonly denials: Denial[] = [];
  readonly resourcePolicies = new Map<string, PolicyDocument>();
  private readonly upstream: Upstream;
  private readonly context: ArnContext;

  constructor(private readonly options: IamGateOptions) {
    this.upstream = new Upstream(options.upstream, options.accountId, options.region);
    this.context = { region: options.region, account: options.accountId, upstream: this.upstream };
  }

  async handle(incoming: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const request = await readRequest(incoming);
    const now = Date.now();
    if (isPostUpload(request)) {
      return this.handlePostUpload(request, incoming, response, now);
    }
    let signature: FoundSignature;
    try {
      signature = findSignature(request, request.body, now);
    } catch (error) {
      if (error instanceof UnsignedRequest) {
        return send(response, errorAnswer(protocolOf({ headers: request.headers, service: 'unknown' }), 'unknown', 'unsigned', error.message));
      }
      throw error;
    }
    const service = signature.scope.service;
    const protocol = protocolOf({ headers: request.headers, service });
    const authenticated = this.authenticate(signature, protocol === 'rest-xml');
    if ('refusal' in authenticated) {
      return send(response, errorAnswer(protocol, service, authenticated.refusal, authenticated.message));
    }
    const { session } = authenticated;
    let operation: GateOperation;
    try {
      operation = await classify({ ...request, query: request.params, service }, this.context);
    } catch (error) {
      const message = error instanceof UnknownOperation ? error.message : `the IAM gate could not read the request: ${String(error)}`;
      return send(response, this.deny(protocol, service, { time: new Date(now).toISOString(), caller: session.callerArn, action: `${service}:?`, resource: '?', message: `User: ${session.callerArn} is not authorized: ${message}` }));
    }
    const denial = firstDenial(session, operation.authorizations, this.resourcePolicies, this.options.region, new Date(now));
    if (denial) {
      return send(response, this.deny(operation.protocol, service, denial));
    }
    if (operation.answer === 'forward') {
      return this.upstream.forward(incoming, request.body, response);
    }
    if (operation.answer === 'caller-identity') {
      return send(response, callerIdentityAnswer(session));
    }
    const { invoke } = operation.answer;
    return send(response, await invokeAnswer(this.options.invoke, invoke, request.body, (error) => {
      process.emitWarning(`IAM gate: the Event invocation of ${invoke.functionName} failed: ${String(error)}`);
    }));
  }

  /** A browser-style POST to S3: its policy's signature and conditions stand for the Authorization header. */
  private async handlePostUpload(request: ArrivedRequest, incoming: http.IncomingMessage, response: http.ServerResponse, now: number): Promise<void> {
    const bucket = decodeURIComponent(request.rawPath.split('/')[1] ?? '');
    let upload;
    try {
      upload = await readPostUpload(bucket, request.headers['content-type'] ?? '', request.body, now);
    } catch (error) {
      if (error instanceof NotAPostUpload) {
        return send(response, errorAnswer('rest-xml', 's3', 'unsigned', error.message));
      }
      throw error;
    }
    const session = this.credentials.find(upload.scope.accessKeyId);
    const refusal: [Refusal, string] | undefined = !session ? ['unknown-key', 'The AWS Access Key Id you provided does not exist in our records.']
      : upload.securityToken !== session.credentials.sessionToken ? ['bad-token', INVALID_TOKEN]
        : !upload.matches(session.credentials.secretAccessKey) ? ['bad-signature', SIGNATURE_MISMATCH]
          : upload.policyViolation ? ['denied', upload.policyViolation] : undefined;
    if (refusal || !session) {
      return send(response, errorAnswer('rest-xml', 's3', refusal?.[0] ?? 'unknown-key', refusal?.[1] ?? ''));
    }
    const denial = firstDenial(session, [{ action: 's3:PutObject', resource: `arn:aws:s3:::${bucket}/${upload.key}` }], this.resourcePolicies, this.options.region, new Date(now));
    if (denial) {
      return send(response, this.deny('rest-xml', 's3', denial));
    }
    return this.upstream.forward(incoming, request.body, response);
  }

  private authenticate(signature: FoundSignature, s3: boolean): { session: Session } | { refusal: Refusal; message: string } {
    const session = this.credentials.find(signature.scope.accessKeyId);
    if (!session) {
      return { refusal: 'unknown-key', message: s3 ? 'The AWS Access Key Id you provided does not exist in our records.' : INVALID_TOKEN };
    }
    if (signature.securityToken !== session.credentials.sessionToken) {
      return { refusal: 'bad-token', message: INVALID_TOKEN };
    }
    if (!signature.matches(session.credentials.secretAccessKey)) {
      return { refusal: 'bad-signature', message: SIGNATURE_MISMATCH };
    }
    if (signature.staleness) {
      return { refusal: signature.staleness === 'Request has expired' ? 'expired' : 'stale', message: signature.staleness };
    }
    if (signature.scope.region !== this.options.region) {
      return { refusal: 'bad-signature', message: `Credential should be scoped to a valid region, not '${signature.scope.region}'. ` };
    }
    return { session };
  }

  private deny(protocol: Protocol, service: string, denial: Denial): Answer {
    this.denials.push(denial);
    this.denials.splice(0, Math.max(0, this.denials.length - KEPT_DENIALS));
    return errorAnswer(protocol, service, 'denied', denial.message);
  }
}

function isPostUpload(request: ArrivedRequest): boolean {
  return request.method === 'POST' && request.headers.authorization === undefined
    && (request.headers['content-type'] ?? '').startsWith('multipart/form-data');
}

function send(response: http.ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  response.end(answer.body);
}
