/** A link to one of a run's files (`GET /artifacts/{id}`), fetched without AWS credentials until it expires. */
export interface ArtifactDownload {
  readonly name: string;
  readonly size: number;
  readonly url: string;
}
