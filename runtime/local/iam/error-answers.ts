import { randomUUID } from 'crypto';
import type { Protocol } from './operations/operation';

/** Why the gate refuses a request itself. */
export type Refusal = 'unsigned' | 'unknown-key' | 'bad-token' | 'bad-signature' | 'stale' | 'expired' | 'denied';

/** An answer, as the service would give it. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Each refusal's code, as the services answer it (each service's "Common Errors" page:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html and its siblings; S3's
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html): for the JSON protocols (REST JSON
 * services use the same codes), the query protocol, and S3. JSON services answer 400, the others 403.
 */
const CODES: Readonly<Record<Refusal, readonly [json: string, query: string, s3: string]>> = {
  'unsigned': ['MissingAuthenticationTokenException', 'MissingAuthenticationToken', 'AccessDenied'],
  'unknown-key': ['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidAccessKeyId'],
  'bad-token': ['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidToken'],
  'bad-signature': ['InvalidSignatureException', 'SignatureDoesNotMatch', 'SignatureDoesNotMatch'],
  'stale': ['InvalidSignatureException', 'SignatureDoesNotMatch', 'RequestTimeTooSkewed'],
  'expired': ['InvalidSignatureException', 'SignatureDoesNotMatch', 'AccessDenied'],
  'denied': ['AccessDeniedException', 'AccessDenied', 'AccessDenied'],
};

/** SNS names its denial AuthorizationError (https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html). */
const DENIAL_BY_SERVICE: Readonly<Record<string, string>> = { sns: 'AuthorizationError' };

export const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
export const INVALID_TOKEN = 'The security token included in the request is invalid.';

export function errorAnswer(protocol: Protocol, service: string, refusal: Refusal, message: string): Answer {
  const family = protocol === 'json-1.0' || protocol === 'json-1.1' ? 'json' : protocol;
  const status = family === 'json' ? 400 : 403;
  const [json, query, s3] = CODES[refusal];
  const own = family === 'query' ? query : family === 'rest-xml' ? s3 : json;
  const code = refusal === 'denied' ? DENIAL_BY_SERVICE[service] ?? own : own;
  const requestId = randomUUID();
  switch (family) {
    case 'json':
      return {
        status,
        headers: { 'content-type': `application/x-amz-${protocol}`, 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'rest-json':
      return {
        status,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': requestId },
        body: JSON.stringify(service === 'lambda' ? { Type: 'User', message } : { ErrorCode: code, Message: message }),
      };
    case 'query':
      return {
        status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${xml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'rest-xml':
      return {
        status,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
  }
}

/** Text as XML element content. */
export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
