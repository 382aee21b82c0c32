import type { CustomResourceRequest } from '../core/pool/scaler/scaler-event';

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
  const body = JSON.stringify({
    Status: outcome.status,
    // CloudFormation shows at most 4 KB of the reason.
    Reason: (outcome.reason ?? outcome.status).slice(0, 4000),
    PhysicalResourceId: outcome.physicalResourceId,
    StackId: request.StackId,
    RequestId: request.RequestId,
    LogicalResourceId: request.LogicalResourceId,
  });
  const response = await fetch(request.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) {
    throw new Error(`CloudFormation's response URL answered ${response.status}`);
  }
}
