import { S3Client } from '@aws-sdk/client-s3';
import { ArtifactStore } from '../adapters/artifact-store';
import type { PlatformConfig } from '../core/config';

/** The artifacts bucket, for the lifecycle handlers that hand off runs or read their results (lifecycleDeps). */
export function artifactStore(config: PlatformConfig): ArtifactStore {
  return new ArtifactStore(new S3Client({}), config.artifactsBucket);
}
