/** A presigned S3 POST (the control plane's ArtifactStore.presignUpload), limited to the dispatch's key prefix. */
export interface UploadTarget {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly keyPrefix: string;
}
