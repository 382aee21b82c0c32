import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { parseXML } from '@aws-sdk/xml-builder';
import { Sha256 } from '@smithy/core/checksum';
import { buildQueryString, escapeUriPath } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { retry } from '../core/backoff';

export interface S3BucketOptions {
  /** @default the `AWS_REGION` environment variable, as the SDK reads it (Lambda sets it) */
  readonly region?: string;
  /** @default the SDK's default chain (in Lambda bundles, the role's environment credentials) */
  readonly credentials?: AwsCredentialIdentityProvider;
}

/** A presigned POST: the form fields go first, the file last, to `url`. */
export interface PresignedPost {
  readonly url: string;
  readonly fields: Record<string, string>;
}

export interface S3Object {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** What S3 answered instead of what was asked: its error code (`NoSuchKey`, `AccessDenied`, …) and message. */
export class S3Error extends Error {
  constructor(public readonly code: string, message: string, public readonly status: number) {
    super(`S3 answered ${status} ${code}: ${message}`);
    this.name = 'S3Error';
  }
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** S3 puts the uploaded file's name in its place. */
const FILENAME = '${filename}';
/** The requests this adapter sends itself are signed just before they go out. */
const REQUEST_EXPIRES_SECONDS = 60;
/** S3's InternalError and SlowDown are transient: the SDK retries them, and lost connections, too. */
const ATTEMPTS = 3;
const RETRY_BACKOFF = { baseMs: 100, capMs: 1_000 };

/**
 * One S3 bucket, reached through presigned requests and `fetch` rather than the S3 client, which is a third
 * of a handler's bundle: S3 takes the same SigV4 signature in a URL's query as in headers, and the signer is
 * the SDK's own. `url` is the bucket's endpoint: `https://<bucket>.s3.<region>.amazonaws.com` (virtual-hosted,
 * as the construct configures it) or `<endpoint>/<bucket>` (path-style, for moto).
 */
export class S3Bucket {
  private readonly region: string;
  private readonly credentials: AwsCredentialIdentityProvider;

  constructor(private readonly name: string, private readonly url: string, options: S3BucketOptions = {}) {
    const region = options.region ?? process.env.AWS_REGION;
    if (!region) {
      throw new Error('S3Bucket needs a Region: set AWS_REGION or pass `region`');
    }
    this.region = region;
    this.credentials = options.credentials ?? defaultProvider();
  }

  /** A GET of the object that anyone can send until it expires. */
  public presignGetObject(key: string, expiresSeconds: number): Promise<string> {
    // The operation's name, as the SDK's GetObject puts it in the query.
    return this.presignGet(key, expiresSeconds, { 'x-id': 'GetObject' });
  }

  /** The object, fetched now; an answer other than 2xx throws S3Error (`NoSuchKey` when there is none). */
  public async getObject(key: string): Promise<Response> {
    return this.send(await this.presignGetObject(key, REQUEST_EXPIRES_SECONDS));
  }

  /** Every object under `prefix` (ListObjectsV2, `pageSize` keys a request: S3 returns 1000 at most). */
  public async listObjects(prefix: string, pageSize = 1000): Promise<S3Object[]> {
    const objects: S3Object[] = [];
    let token: string | undefined;
    do {
      const query = { 'list-type': '2', 'prefix': prefix, 'max-keys': String(pageSize), ...(token && { 'continuation-token': token }) };
      const response = await this.send(await this.presignGet('', REQUEST_EXPIRES_SECONDS, query));
      const { ListBucketResult: page } = parseXML(await response.text()) as { ListBucketResult: ListBucketResult };
      for (const { Key, Size, LastModified } of asArray(page.Contents)) {
        objects.push({ key: Key, size: Number(Size), lastModified: new Date(LastModified) });
      }
      token = page.IsTruncated === 'true' ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  /**
   * A browser-style POST upload, signed as `createPresignedPost` signs it: S3 refuses any form that breaks
   * one of `conditions` or arrives after `expiresSeconds`. A `key` ending in S3's `${filename}` placeholder
   * allows any name after it.
   */
  public async presignPost(key: string, conditions: unknown[], expiresSeconds: number): Promise<PresignedPost> {
    const credentials = await this.credentials();
    const now = new Date();
    const longDate = iso8601(now).replace(/[-:]/g, '');
    const fields: Record<string, string> = {
      'bucket': this.name,
      'X-Amz-Algorithm': ALGORITHM,
      'X-Amz-Credential': `${credentials.accessKeyId}/${longDate.slice(0, 8)}/${this.region}/s3/aws4_request`,
      'X-Amz-Date': longDate,
      ...(credentials.sessionToken && { 'X-Amz-Security-Token': credentials.sessionToken }),
    };
    const keyCondition = key.endsWith(FILENAME) ? ['starts-with', '$key', key.slice(0, -FILENAME.length)] : { key };
    const fieldConditions = Object.entries(fields).map(([name, value]) => ({ [name]: value }));
    // Each condition once, in the order the SDK writes them.
    const unique = new Set([...conditions, ...fieldConditions, keyCondition].map((condition) => JSON.stringify(condition)));
    const policy = Buffer.from(JSON.stringify({
      expiration: iso8601(new Date(now.getTime() + expiresSeconds * 1000)),
      conditions: [...unique].map((condition) => JSON.parse(condition)),
    })).toString('base64');
    // Signed with the credentials the fields name, even if the provider refreshes them meanwhile.
    const signature = await this.signer(credentials).sign(policy, { signingDate: now });
    return { url: this.url, fields: { ...fields, 'key': key, 'Policy': policy, 'X-Amz-Signature': signature } };
  }

  /** `key` '' is the bucket itself; `query` selects an operation on it. */
  private async presignGet(key: string, expiresSeconds: number, query: Record<string, string>): Promise<string> {
    const bucket = new URL(this.url);
    // Each segment of the key encoded as S3 encodes it (everything but unreserved characters and `/`), and
    // never resolved as URL paths are: a key with a `..` segment must not be signed as another key.
    const path = `${bucket.pathname.replace(/\/$/, '')}/${escapeUriPath(key)}`;
    const signed = await this.signer(await this.credentials()).presign({
      method: 'GET',
      protocol: bucket.protocol,
      hostname: bucket.hostname,
      port: bucket.port === '' ? undefined : Number(bucket.port),
      path,
      query,
      // Hoisted into the query (X-Amz-Content-Sha256), as the SDK's S3 presigner does.
      headers: { 'host': bucket.host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
    }, { expiresIn: expiresSeconds });
    return `${bucket.origin}${path}?${buildQueryString(signed.query as Record<string, string>)}`;
  }

  private send(url: string): Promise<Response> {
    return retry(async () => {
      const response = await fetch(url);
      if (!response.ok) {
        throw await s3Error(response);
      }
      return response;
    }, { attempts: ATTEMPTS, isRetryable: isTransient, backoff: RETRY_BACKOFF });
  }

  private signer(credentials: AwsCredentialIdentity): SignatureV4 {
    // S3 signs the path as sent, without encoding it a second time, and the payload hash the request names.
    return new SignatureV4({ service: 's3', region: this.region, credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  }
}

interface ListBucketResult {
  readonly IsTruncated: string;
  readonly NextContinuationToken?: string;
  /** parseXML gives one element as an object, several as an array. */
  readonly Contents?: ListedObject | ListedObject[];
}

interface ListedObject {
  readonly Key: string;
  readonly Size: string;
  readonly LastModified: string;
}

/** A lost connection (fetch's TypeError), or S3's 500 InternalError or 503 SlowDown. */
function isTransient(error: unknown): boolean {
  return !(error instanceof S3Error) || error.status === 500 || error.status === 503;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

async function s3Error(response: Response): Promise<S3Error> {
  const text = await response.text();
  try {
    const { Error: error } = parseXML(text) as { Error?: { Code?: string; Message?: string } };
    if (error?.Code) {
      return new S3Error(error.Code, error.Message ?? '', response.status);
    }
  } catch {
    // Not S3's XML (a proxy's page, say): the status is all there is.
  }
  return new S3Error(`Http${response.status}`, text.slice(0, 200), response.status);
}

function iso8601(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
