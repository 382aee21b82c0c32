import type { CustomResourceRequest } from '../core/pool/scaler/scaler-event';

/** The largest response body CloudFormation takes (the custom resource request and response reference). */
const MAX_RESPONSE_BYTES = 4096;

/** What a custom resource tells CloudFormation: done, or failed and why. */
export interface CustomResourceOutcome {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly reason?: string;
}

/**
 * Answer CloudFormation by a PUT to the request's presigned S3 URL (the custom resource protocol). The URL is
 * signed without a content type, so none is sent. CloudFormation waits for this answer (up to an hour), so a
 * handler answers every request, failed or not.
 */
export async function respondToCloudFormation(request: CustomResourceRequest, outcome: CustomResourceOutcome): Promise<void> {
  const answer = (reason: string) => JSON.stringify({
    Status: outcome.status,
    Reason: reason,
    PhysicalResourceId: outcome.physicalResourceId,
    StackId: request.StackId,
    RequestId: request.RequestId,
    LogicalResourceId: request.LogicalResourceId,
  });
  // CloudFormation takes no response body over 4096 bytes: the reason is cut to fit, the ids are not. A
  // character is 1 to 6 bytes in the body (\u001f escaped): cutting a sixth of the excess in characters cuts
  // at most 5 bytes more than needed, and at least one character a round.
  let reason = outcome.reason ?? outcome.status;
  let body = answer(reason);
  while (Buffer.byteLength(body) > MAX_RESPONSE_BYTES) {
    reason = reason.slice(0, reason.length - Math.ceil((Buffer.byteLength(body) - MAX_RESPONSE_BYTES) / 6));
    body = answer(reason);
  }
  const response = await fetch(request.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) {
    throw new Error(`CloudFormation's response URL answered ${response.status}`);
  }
}
