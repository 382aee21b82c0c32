import type { IncomingMessage } from 'http';
import type { IamCaller } from './api/http-api-event';
import type { IamGate } from './iam/iam-gate';
import { evaluatePolicies } from './iam/policy/evaluate';
import type { PolicyDocument } from './iam/policy/policy-document';
import { findSignature, UnsignedRequest } from './iam/request-signature';
import type { DeployedPlatform, LocalSecurity } from './local-platform';
import { referencedId, resourcesOfType } from './template/template';

/**
 * Outpost Local's security, all through the IAM gate: each function's credentials are the gate's for its role
 * (so every AWS call it makes is held to the role's policies), the platform's resource policies (the key's, the
 * buckets', the queues') are registered with the gate, and the HTTP API checks a caller's SigV4 signature
 * (service `execute-api`) against the gate's credentials and `execute-api:Invoke` against the caller's policies.
 */
export function gateSecurity(gate: IamGate, deployed: DeployedPlatform): LocalSecurity {
  registerResourcePolicies(gate, deployed);
  return {
    credentialsFor: (role) => ({
      endpoint: gate.endpoint,
      ...gate.issueCredentials({ arn: role.arn, policies: role.documents }),
    }),
    authenticate: async (request, url, body) => authenticate(gate, deployed.pseudo.region, request, url, body),
    authorize: async (caller, action, resource) => {
      const session = gate.session(caller.accessKeyId);
      return session !== undefined && evaluatePolicies(session.principal.policies, { action, resource }, {
        'aws:PrincipalArn': session.principal.arn, 'aws:CurrentTime': new Date().toISOString(), 'aws:SecureTransport': 'true',
      }) === 'allowed';
    },
  };
}

function authenticate(gate: IamGate, region: string, request: IncomingMessage, url: URL, body: Buffer): IamCaller | undefined {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]));
  try {
    const signature = findSignature({
      method: request.method ?? 'GET',
      rawPath: (request.url ?? '/').split('?')[0],
      query: [...url.searchParams],
      headers,
    }, body, Date.now());
    const session = gate.session(signature.scope.accessKeyId);
    if (!session || signature.scope.service !== 'execute-api' || signature.scope.region !== region || signature.staleness !== undefined
      || signature.securityToken !== session.credentials.sessionToken || !signature.matches(session.credentials.secretAccessKey)) {
      return undefined;
    }
    return { arn: session.callerArn, accessKeyId: session.credentials.accessKeyId, userId: session.userId };
  } catch (error) {
    if (error instanceof UnsignedRequest) {
      return undefined;
    }
    throw error;
  }
}

/** The template's resource policies, resolved, by the ARN of the resource each governs. */
function registerResourcePolicies(gate: IamGate, deployed: DeployedPlatform): void {
  const { template, deployment, intrinsics } = deployed;
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::KMS::Key')) {
    if (resource.Properties?.KeyPolicy !== undefined && deployment.get(logicalId)) {
      gate.setResourcePolicy(deployment.require(logicalId).attributes.Arn, intrinsics.resolve(resource.Properties.KeyPolicy) as PolicyDocument);
    }
  }
  for (const [, resource] of resourcesOfType(template, 'AWS::S3::BucketPolicy')) {
    const bucket = referencedId(resource.Properties?.Bucket);
    if (bucket !== undefined && deployment.get(bucket)) {
      gate.setResourcePolicy(deployment.require(bucket).attributes.Arn, intrinsics.resolve(resource.Properties?.PolicyDocument) as PolicyDocument);
    }
  }
  for (const [, resource] of resourcesOfType(template, 'AWS::SQS::QueuePolicy')) {
    for (const queue of (resource.Properties?.Queues ?? []) as unknown[]) {
      const id = referencedId(queue);
      if (id !== undefined && deployment.get(id)) {
        gate.setResourcePolicy(deployment.require(id).attributes.Arn, intrinsics.resolve(resource.Properties?.PolicyDocument) as PolicyDocument);
      }
    }
  }
}
