import { ArtifactStore } from '../adapters/artifact-store';
import { S3Bucket } from '../adapters/s3-bucket';
import type { PlatformConfig } from '../core/config';

/** The artifacts bucket, for the lifecycle handlers that hand off runs or read their results (lifecycleDeps). */
export function artifactStore(config: PlatformConfig): ArtifactStore {
  return new ArtifactStore(new S3Bucket(config.artifactsBucket, config.artifactsBucketUrl));
}
