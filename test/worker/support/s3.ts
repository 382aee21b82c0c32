import { ArtifactStore } from '../../../runtime/adapters/artifact-store';
import { S3Bucket } from '../../../runtime/adapters/s3-bucket';

/**
 * The control plane's own artifact store (its presigned upload, its listing) for the bucket at `url`
 * (`<endpoint>/<bucket>`, path-style), signing with moto's fake credentials.
 */
export function artifactStore(bucket: string, url: string): ArtifactStore {
  return new ArtifactStore(new S3Bucket(bucket, url, { region: 'us-east-1', credentials: async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing' }) }));
}

/**
 * Moto's S3, reached with plain HTTP. Moto does not verify signatures,
 * but it treats a request without an Authorization header as anonymous (and refuses it a private
 * object), so reads carry an unsigned header naming the fake credentials.
 */
const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0';

export async function createBucket(endpoint: string, bucket: string): Promise<void> {
  const response = await fetch(`${endpoint}/${bucket}`, { method: 'PUT', headers: { authorization: AUTHORIZATION } });
  if (!response.ok) {
    throw new Error(`CreateBucket ${bucket}: HTTP ${response.status}`);
  }
}

/** The object's content, or undefined when there is none under that key. */
export async function getObject(endpoint: string, bucket: string, key: string): Promise<string | undefined> {
  const response = await fetch(`${endpoint}/${bucket}/${key}`, { headers: { authorization: AUTHORIZATION } });
  if (response.status === 404) {
    return undefined;
  }
  if (!response.ok) {
    throw new Error(`GetObject ${key}: HTTP ${response.status}`);
  }
  return response.text();
}
