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

interface ErrorCode {
  readonly status: number;
  readonly code: string;
}

/**
 * Each refusal's code and status, per protocol, as the services answer them (each service's "Common Errors"
 * page: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html and its siblings;
 * S3's https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). JSON services answer 400,
 * query, REST and S3 services 403.
 */
const CODES: Readonly<Record<'json' | 'query' | 'rest-json' | 'rest-xml', Readonly<Record<Refusal, ErrorCode>>>> = {
  'json': {
    'unsigned': { status: 400, code: 'MissingAuthenticationTokenException' },
    'unknown-key': { status: 400, code: 'UnrecognizedClientException' },
    'bad-token': { status: 400, code: 'UnrecognizedClientException' },
    'bad-signature': { status: 400, code: 'InvalidSignatureException' },
    'stale': { status: 400, code: 'InvalidSignatureException' },
    'expired': { status: 400, code: 'InvalidSignatureException' },
    'denied': { status: 400, code: 'AccessDeniedException' },
  },
  'query': {
    'unsigned': { status: 403, code: 'MissingAuthenticationToken' },
    'unknown-key': { status: 403, code: 'InvalidClientTokenId' },
    'bad-token': { status: 403, code: 'InvalidClientTokenId' },
    'bad-signature': { status: 403, code: 'SignatureDoesNotMatch' },
    'stale': { status: 403, code: 'SignatureDoesNotMatch' },
    'expired': { status: 403, code: 'SignatureDoesNotMatch' },
    'denied': { status: 403, code: 'AccessDenied' },
  },
  'rest-json': {
    'unsigned': { status: 403, code: 'MissingAuthenticationTokenException' },
    'unknown-key': { status: 403, code: 'UnrecognizedClientException' },
    'bad-token': { status: 403, code: 'UnrecognizedClientException' },
    'bad-signature': { status: 403, code: 'InvalidSignatureException' },
    'stale': { status: 403, code: 'InvalidSignatureException' },
    'expired': { status: 403, code: 'InvalidSignatureException' },
    'denied': { status: 403, code: 'AccessDeniedException' },
  },
  'rest-xml': {
    'unsigned': { status: 403, code: 'AccessDenied' },
    'unknown-key': { status: 403, code: 'InvalidAccessKeyId' },
    'bad-token': { status: 403, code: 'InvalidToken' },
    'bad-signature': { status: 403, code: 'SignatureDoesNotMatch' },
    'stale': { status: 403, code: 'RequestTimeTooSkewed' },
    'expired': { status: 403, code: 'AccessDenied' },
    'denied': { status: 403, code: 'AccessDenied' },
  },
};

/** SNS names its denial AuthorizationError (https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html). */
const DENIAL_BY_SERVICE: Readonly<Record<string, string>> = { sns: 'AuthorizationError' };

export const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
export const INVALID_TOKEN = 'The security token included in the request is invalid.';

export function errorAnswer(protocol: Protocol, service: string, refusal: Refusal, message: string): Answer {
  const family = protocol === 'json-1.0' || protocol === 'json-1.1' ? 'json' : protocol;
  const { status } = CODES[family][refusal];
  const code = refusal === 'denied' ? DENIAL_BY_SERVICE[service] ?? CODES[family][refusal].code : CODES[family][refusal].code;
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
