import { createHash, createHmac } from 'crypto';

/**
 * Signature Version 4 as the receiving side computes it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html): the canonical request is
 * rebuilt from what arrived, never from what the client meant to send, so a request changed on the way
 * (another body, another path, another signed header) no longer matches its signature.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** The parts of a credential scope: `<key>/<yyyymmdd>/<region>/<service>/aws4_request`. */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

/** What a signature covers, as it arrived. */
export interface ReceivedRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded. */
  readonly rawPath: string;
  /** The query's pairs, decoded. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export function parseCredential(credential: string): CredentialScope | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    return undefined;
  }
  const [accessKeyId, date, region, service] = parts;
  return { accessKeyId, date, region, service };
}

export function scopeOf(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
}

/** RFC 3986 encoding, as SigV4 wants it: everything but unreserved characters. */
export function encodeStrict(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The canonical URI. S3 signs the path as sent; every other service signs it normalized and encoded once
 * more, as the SDK's signer does (`uriEscapePath`), so `%3A` in a Lambda function ARN is signed as `%253A`.
 */
export function canonicalUri(rawPath: string, service: string): string {
  if (service === 's3') {
    return rawPath === '' ? '/' : rawPath;
  }
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') {
      continue;
    }
    if (segment === '..') {
      segments.pop();
    } else {
      segments.push(segment);
    }
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return encodeStrict(normalized).replace(/%2F/g, '/');
}

export function canonicalQuery(query: ReadonlyArray<readonly [string, string]>, without?: string): string {
  return query
    .filter(([name]) => name !== without)
    .map(([name, value]) => [encodeStrict(name), encodeStrict(value)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function canonicalHeaders(headers: ReceivedRequest['headers'], signedHeaders: readonly string[]): string {
  return signedHeaders.map((name) => `${name}:${(headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function signingKey(secretAccessKey: string, scope: CredentialScope): Buffer {
  const dateKey = hmac(`AWS4${secretAccessKey}`, scope.date);
  return hmac(hmac(hmac(dateKey, scope.region), scope.service), 'aws4_request');
}

/** The hex signature of `stringToSign` under the scope's signing key. */
export function signString(secretAccessKey: string, scope: CredentialScope, stringToSign: string): string {
  return createHmac('sha256', signingKey(secretAccessKey, scope)).update(stringToSign, 'utf8').digest('hex');
}

/** The signature a request should carry, given its canonical parts. */
export function requestSignature(secretAccessKey: string, scope: CredentialScope, amzDate: string, canonicalRequest: string): string {
  const stringToSign = [ALGORITHM, amzDate, scopeOf(scope), sha256Hex(canonicalRequest)].join('\n');
  return signString(secretAccessKey, scope, stringToSign);
}

/** `20261207T185300Z` as a time; NaN when it is not one. */
export function parseAmzDate(value: string | undefined): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return match ? Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6]) : NaN;
}
