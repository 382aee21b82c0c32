import { endpointCheck } from '../../../runtime/cli/doctor/endpoint-check';
import { fleetChecks } from '../../../runtime/cli/doctor/fleet-checks';
import { OutpostApiError } from '../../../runtime/client/errors';
import type { FleetHealth } from '../../../runtime/core/fleet-health';

const ENDPOINT = 'https://abc123.execute-api.eu-west-1.amazonaws.com/';
const refused = (message: string) => ({ error: new OutpostApiError(403, 'Forbidden', message, undefined, 'r1', 'GET /health') });

describe('endpointCheck', () => {
  // API Gateway's messages for IAM authorization, as https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch lists them.
  test.each([
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    'The security token included in the request is invalid.',
    'Signature expired: 20261207T100000Z is now earlier than 20261207T100500Z (20261207T101000Z - 5 min.)',
    'Missing Authentication Token',
  ])('a refused signature is a credentials, Region or clock fix: %s', (message) => {
    expect(endpointCheck(ENDPOINT, refused(message))).toMatchObject({
      status: 'fail', detail: `the signature was refused: ${message}`, fix: expect.stringContaining('--profile / AWS_PROFILE, --region / AWS_REGION, and the machine\'s clock'),
    });
  });

  test('a refused permission is a grant fix', () => {
    const message = 'User: arn:aws:sts::111122223333:assumed-role/Dev/alice is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:111122223333:abc123/$default/GET/health';
    expect(endpointCheck(ENDPOINT, refused(message))).toMatchObject({
      status: 'fail', fix: expect.stringContaining('give the caller the platform\'s grantRead (platform.controlPlane.grantRead(role) in the stack)'),
    });
  });

  test('a bare Forbidden may be either: both fixes, from the grant hint', () => {
    expect(endpointCheck(ENDPOINT, refused('Forbidden')).fix).toBe('the caller may not call GET /health: it needs the platform\'s grantRead (platform.controlPlane.grantRead(role) in the stack), '
      + 'or the request was signed with other credentials, or for another Region, than the API\'s');
  });

  test('an unavailable platform names its failing checks', () => {
    const report = { status: 'unavailable' as const, version: '1.2.3', checks: { dispatchesTable: { healthy: false, detail: 'ResourceNotFoundException' } } };
    expect(endpointCheck(ENDPOINT, { report })).toMatchObject({ status: 'fail', detail: 'the platform answers but is unavailable (dispatchesTable: ResourceNotFoundException)' });
  });
});

describe('fleetChecks', () => {
  const fleet = (readiness?: FleetHealth['readiness']): FleetHealth => ({ at: '2026-12-07T10:00:00.000Z', agents: {}, ...(readiness && { readiness }) });

  test('a platform deployed before readiness was reported: one skip that says to deploy', () => {
    expect(fleetChecks(fleet(), ['claude'])).toEqual([expect.objectContaining({ kind: 'readiness', status: 'skip', detail: expect.stringContaining('deploy this version') })]);
  });

  test('a secret that could not be described fails with the grant fix and its rotation is not checked; rotation off: no rotate-secret', () => {
    const secret = (secretId: string, extra: object) => ({ secretId, agents: ['claude'], filled: true, rotationEnabled: false, pendingVersionId: null, detail: '', ...extra });
    const checks = fleetChecks(fleet({
      agents: { claude: { taskDefinition: { ok: true, detail: 'td' }, image: { ok: null, detail: 'not in ECR' }, secretId: 'a' } },
      secrets: [secret('a', { filled: null, detail: 'not described: AccessDeniedException' }), secret('b', { pendingVersionId: 'v9' }), { ...secret('c', {}), agents: ['codex'] }],
    }), ['claude']);
    expect(checks.map((check) => [check.kind, check.subject, check.status])).toEqual([
      ['task-definition', 'claude', 'pass'], ['image', 'claude', 'skip'],
      ['secret', 'a', 'fail'], ['rotation', 'a', 'skip'],
      ['secret', 'b', 'pass'], ['rotation', 'b', 'fail'],
    ]);
    expect(checks[2].fix).toContain('secretsmanager:DescribeSecret');
    expect(checks[5].fix).toBe('aws secretsmanager update-secret-version-stage --secret-id b --version-stage AWSPENDING --remove-from-version-id v9');
  });
});
