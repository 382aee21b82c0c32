import { UnknownOperation } from './operation';
import type { Authorization } from '../policy/policy-document';

/**
 * Amazon S3 (REST XML), path-style (`/<bucket>/<key>`, as moto and Outpost Local address buckets), per its
 * Service Authorization Reference: objects as `arn:aws:s3:::<bucket>/<key>`, ListObjectsV2 as s3:ListBucket on
 * the bucket with `s3:prefix`. Bucket-level operations other than listing are not the runtime's and are refused.
 */
export function s3Authorizations(
  method: string, rawPath: string, query: URLSearchParams, headers: Readonly<Record<string, string | undefined>>,
): Authorization[] {
  const [, bucket = '', ...keyParts] = rawPath.split('/');
  const key = decodeURIComponent(keyParts.join('/'));
  const object = `arn:aws:s3:::${decodeURIComponent(bucket)}/${key}`;
  const subresource = [...query.keys()].find((name) => !name.startsWith('X-Amz-') && name !== 'x-id' && !LIST_PARAMETERS.has(name));
  if (bucket !== '' && key === '' && method === 'GET' && subresource === undefined) {
    const context: Record<string, string> = {};
    for (const name of ['prefix', 'delimiter', 'max-keys'] as const) {
      const value = query.get(name);
      if (value !== null) {
        context[`s3:${name}`] = value;
      }
    }
    return [{ action: 's3:ListBucket', resource: `arn:aws:s3:::${decodeURIComponent(bucket)}`, context }];
  }
  if (bucket !== '' && key !== '' && subresource === undefined) {
    switch (method) {
      case 'GET':
      case 'HEAD':
        return [{ action: 's3:GetObject', resource: object }];
      case 'PUT': {
        const source = headers['x-amz-copy-source'];
        const copied = source ? [{ action: 's3:GetObject', resource: `arn:aws:s3:::${decodeURIComponent(source.replace(/^\//, '').split('?')[0])}` }] : [];
        return [{ action: 's3:PutObject', resource: object }, ...copied];
      }
      case 'DELETE':
        return [{ action: 's3:DeleteObject', resource: object }];
    }
  }
  throw new UnknownOperation('rest-xml', `s3 ${method} ${rawPath}${subresource ? `?${subresource}` : ''}`);
}

/** ListObjects(V2)'s own parameters, which select no subresource. */
const LIST_PARAMETERS = new Set(['list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after', 'encoding-type', 'fetch-owner', 'marker']);
