import { timingSafeEqual } from 'crypto';
import {
  ALGORITHM, canonicalHeaders, canonicalQuery, canonicalUri, parseAmzDate, parseCredential, requestSignature, sha256Hex,
  UNSIGNED_PAYLOAD, type CredentialScope, type ReceivedRequest,
} from './sigv4';

/** How far a header-signed request's clock may be from the gate's, as AWS allows. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** A signature found on a request: whose key it names, and how to check it once the key's secret is known. */
export interface FoundSignature {
  readonly scope: CredentialScope;
  readonly securityToken: string | undefined;
  /** Why the request is refused whatever the secret: its date is too far from now, or its URL has expired. */
  readonly staleness: string | undefined;
  matches(secretAccessKey: string): boolean;
}

/** Why no signature could be checked: none was sent, or it is not SigV4. */
export class UnsignedRequest extends Error {}

/** The signature of a request signed in its Authorization header, or presigned in its query. */
export function findSignature(request: ReceivedRequest, body: Buffer, now: number): FoundSignature {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    return headerSignature(request, authorization, body, now);
  }
  if (request.query.some(([name]) => name === 'X-Amz-Signature')) {
    return querySignature(request, body, now);
  }
  throw new UnsignedRequest('The request carries no Authorization header and no X-Amz-Signature');
}

function headerSignature(request: ReceivedRequest, authorization: string, body: Buffer, now: number): FoundSignature {
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/.exec(authorization.trim());
  const scope = match ? parseCredential(match[1]) : undefined;
  if (!match || !scope) {
    throw new UnsignedRequest(`Authorization header is not SigV4 (${ALGORITHM} Credential=…, SignedHeaders=…, Signature=…)`);
  }
  const signedHeaders = match[2].split(';');
  const amzDate = request.headers['x-amz-date'] ?? '';
  const time = parseAmzDate(amzDate);
  const staleness = Number.isNaN(time) || Math.abs(now - time) > MAX_CLOCK_SKEW_MS
    ? `Signature not yet current or expired: request date ${amzDate || '(none)'} is more than 15 minutes from the server time ${new Date(now).toISOString()}`
    : undefined;
  const payloadHash = payloadHashOf(scope.service, request.headers['x-amz-content-sha256'], body);
  const canonical = [
    request.method, canonicalUri(request.rawPath, scope.service), canonicalQuery(request.query),
    canonicalHeaders(request.headers, signedHeaders), signedHeaders.join(';'), payloadHash,
  ].join('\n');
  return {
    scope,
    staleness,
    securityToken: request.headers['x-amz-security-token'],
    matches: (secret) => sameHex(requestSignature(secret, scope, amzDate, canonical), match[3]),
  };
}

function querySignature(request: ReceivedRequest, body: Buffer, now: number): FoundSignature {
  const param = (name: string) => request.query.find(([key]) => key === name)?.[1];
  const scope = parseCredential(param('X-Amz-Credential') ?? '');
  if (param('X-Amz-Algorithm') !== ALGORITHM || !scope) {
    throw new UnsignedRequest(`A presigned URL needs X-Amz-Algorithm=${ALGORITHM} and an X-Amz-Credential`);
  }
  const amzDate = param('X-Amz-Date') ?? '';
  const time = parseAmzDate(amzDate);
  const expires = Number(param('X-Amz-Expires') ?? 'NaN');
  const staleness = Number.isNaN(time) || !(expires >= 0) ? 'X-Amz-Date and X-Amz-Expires must be given'
    : now > time + expires * 1000 ? 'Request has expired'
      : time - now > MAX_CLOCK_SKEW_MS ? 'Request is not yet valid' : undefined;
  const signedHeaders = (param('X-Amz-SignedHeaders') ?? 'host').split(';');
  const payloadHash = param('X-Amz-Content-Sha256') ?? (scope.service === 's3' ? UNSIGNED_PAYLOAD : sha256Hex(body));
  const canonical = [
    request.method, canonicalUri(request.rawPath, scope.service), canonicalQuery(request.query, 'X-Amz-Signature'),
    canonicalHeaders(request.headers, signedHeaders), signedHeaders.join(';'), payloadHash,
  ].join('\n');
  return {
    scope,
    staleness,
    securityToken: param('X-Amz-Security-Token'),
    matches: (secret) => sameHex(requestSignature(secret, scope, amzDate, canonical), param('X-Amz-Signature') ?? ''),
  };
}

/**
 * The payload's hash as the canonical request holds it: computed from the body that arrived, so a changed body
 * breaks the signature; S3 alone takes the client's word that the payload is unsigned (UNSIGNED-PAYLOAD, or
 * streaming chunks signed one by one).
 */
function payloadHashOf(service: string, declared: string | undefined, body: Buffer): string {
  if (service === 's3' && declared !== undefined && (declared === UNSIGNED_PAYLOAD || declared.startsWith('STREAMING-'))) {
    return declared;
  }
  return sha256Hex(body);
}

export function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
