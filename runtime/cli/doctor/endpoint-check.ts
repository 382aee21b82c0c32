import { OutpostApiError, OutpostConnectionError } from '../../client/errors';
import type { HealthReport } from '../../core/health';
import { forbiddenHint } from '../grant-hint';
import { fail, pass, type DoctorCheck } from './report';

/**
 * API Gateway's words when the signature itself is refused (https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch):
 * other credentials, Region or clock than the API expects. A refused permission says "not authorized to perform".
 */
const SIGNATURE_REFUSED = /signature|security token|Missing Authentication Token|expired/i;
const PERMISSION_REFUSED = /not authorized to perform/i;

/** `GET /health`, signed: whether the endpoint answers, accepts the caller's signature and grant, and is healthy. */
export function endpointCheck(endpoint: string, outcome: { readonly report: HealthReport } | { readonly error: unknown }): DoctorCheck {
  if ('report' in outcome) {
    const { report } = outcome;
    const failing = Object.entries(report.checks).filter(([, check]) => !check.healthy).map(([name, check]) => `${name}: ${check.detail}`);
    return report.status === 'ok'
      ? pass('endpoint', endpoint, `signed GET /health answered: ok (version ${report.version})`)
      : fail('endpoint', endpoint, `the platform answers but is unavailable (${failing.join('; ')})`,
        'GET /health checks the platform\'s own resources (its dispatches table): see the health function\'s log (docs/operations.md, "Logs"), and deploy the stack again if the table is gone');
  }
  const { error } = outcome;
  if (error instanceof OutpostApiError && error.status === 403) {
    if (SIGNATURE_REFUSED.test(error.message)) {
      return fail('endpoint', endpoint, `the signature was refused: ${error.message}`,
        'sign with the credentials and Region of the platform\'s account: check --profile / AWS_PROFILE, --region / AWS_REGION, and the machine\'s clock');
    }
    if (PERMISSION_REFUSED.test(error.message)) {
      return fail('endpoint', endpoint, `the caller may not call GET /health: ${error.message}`,
        'give the caller the platform\'s grantRead (platform.controlPlane.grantRead(role) in the stack), or grantDispatch to dispatch too');
    }
    return fail('endpoint', endpoint, `HTTP 403 ${error.message}`, forbiddenHint(error) ?? 'check the caller\'s grant and credentials');
  }
  if (error instanceof OutpostApiError && error.status === 404) {
    return fail('endpoint', endpoint, `HTTP 404 on GET /health: ${error.message}`, 'the endpoint is not an Outpost API: use the platform stack\'s ApiUrl output (--stack NAME finds it)');
  }
  if (error instanceof OutpostConnectionError) {
    return fail('endpoint', endpoint, `unreachable: ${error.message}`,
      error.timedOut ? 'is the endpoint right, and does it answer from here? --timeout-seconds N waits longer' : 'is the endpoint right, and reachable from here (VPN, proxy, outpost local running)?');
  }
  return fail('endpoint', endpoint, error instanceof Error ? error.message : String(error), 'see the message; run with the same options as `outpost fleet` to compare');
}
