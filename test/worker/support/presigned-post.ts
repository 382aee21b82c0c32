import { createHmac } from 'crypto';

export interface PresignedPost {
  readonly url: string;
  readonly fields: Record<string, string>;
}

export interface PresignedPostRequest {
  readonly endpoint: string;
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * A presigned S3 POST exactly as `@aws-sdk/s3-presigned-post`'s createPresignedPost makes it for a
 * path-style endpoint, `Key: <prefix>${filename}` and a `starts-with $key <prefix>` condition (same URL,
 * fields, policy and signature, byte for byte, checked against the SDK), signed here with node:crypto
 * while that package is not a devDependency of the project.
 */
export function presignedPost(request: PresignedPostRequest, now = new Date()): PresignedPost {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const credential = `${request.accessKeyId}/${day}/${request.region}/s3/aws4_request`;
  const policy = Buffer.from(JSON.stringify({
    expiration: new Date(now.getTime() + 3600_000).toISOString().replace(/\.\d{3}/, ''),
    conditions: [
      ['starts-with', '$key', request.keyPrefix],
      { bucket: request.bucket },
      { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
      { 'X-Amz-Credential': credential },
      { 'X-Amz-Date': amzDate },
    ],
  })).toString('base64');
  const signingKey = [day, request.region, 's3', 'aws4_request']
    .reduce<Buffer | string>((key, part) => hmac(key, part), `AWS4${request.secretAccessKey}`);
  return {
    url: `${request.endpoint}/${request.bucket}`,
    fields: {
      'bucket': request.bucket,
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': credential,
      'X-Amz-Date': amzDate,
      'key': `${request.keyPrefix}\${filename}`,
      'Policy': policy,
      'X-Amz-Signature': createHmac('sha256', signingKey).update(policy).digest('hex'),
    },
  };
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
