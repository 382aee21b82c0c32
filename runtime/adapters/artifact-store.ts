import { S3Error, type S3Bucket } from './s3-bucket';
import type { UploadTarget } from '../contracts/upload-target';
import type { ArtifactDownload } from '../core/artifacts/artifact-download';
import { artifactPrefix } from '../core/artifacts/artifact-prefix';
import { MAX_RESULT_BYTES, parseRunResult, RESULT_FILE, type ParsedRunResult } from '../core/artifacts/run-result';

export interface UploadOptions {
  /** How long the worker may upload: it must outlast the run, since result.json goes up last. */
  readonly expiresSeconds?: number;
  /** The largest single file S3 accepts through the policy. */
  readonly maxBytes?: number;
}

export interface ArtifactObject {
  /** The key below the dispatch's prefix, e.g. `transcript.log`. */
  readonly name: string;
  readonly size: number;
  readonly lastModified: string;
}

const TWO_HOURS = 2 * 3600;
const ONE_GIB = 1024 ** 3;
/** S3 refuses a POST policy or a presigned URL that outlives SigV4's seven days. */
const MAX_EXPIRES_SECONDS = 7 * 24 * 3600;
/** The largest object a single POST can write. */
const MAX_POST_BYTES = 5 * ONE_GIB;

/** A dispatch's files in the artifacts bucket, under `artifacts/<dispatchId>/`. */
export class ArtifactStore {
  constructor(private readonly bucket: S3Bucket) {}

  /**
   * The `upload` of the worker's assignment. S3 itself enforces the prefix (`starts-with $key`) and the
   * size, so the worker, and an agent that reads the policy out of it, can write nowhere else and nothing
   * larger. The POST works until `expiresSeconds` and no longer than the credentials that signed it:
   * temporary ones (a Lambda's role session) end it sooner.
   */
  public async presignUpload(dispatchId: string, options: UploadOptions = {}): Promise<UploadTarget> {
    const expiresSeconds = inRange('expiresSeconds', options.expiresSeconds ?? TWO_HOURS, 1, MAX_EXPIRES_SECONDS);
    const maxBytes = inRange('maxBytes', options.maxBytes ?? ONE_GIB, 1, MAX_POST_BYTES);
    const keyPrefix = artifactPrefix(dispatchId);
    const { url, fields } = await this.bucket.presignPost(`${keyPrefix}\${filename}`, [
      ['starts-with', '$key', keyPrefix],
      ['content-length-range', 0, maxBytes],
    ], expiresSeconds);
    return { url, fields, keyPrefix };
  }

  public async list(dispatchId: string): Promise<ArtifactObject[]> {
    const prefix = artifactPrefix(dispatchId);
    return (await this.bucket.listObjects(prefix)).map(({ key, size, lastModified }) => ({
      name: key.slice(prefix.length), size, lastModified: lastModified.toISOString(),
    }));
  }

  /** GET URLs a caller can fetch without AWS credentials; signing is local, so this costs one listing. */
  public async presignDownloads(dispatchId: string, expiresSeconds = 3600): Promise<ArtifactDownload[]> {
    const expiresIn = inRange('expiresSeconds', expiresSeconds, 1, MAX_EXPIRES_SECONDS);
    const prefix = artifactPrefix(dispatchId);
    return Promise.all((await this.list(dispatchId)).map(async ({ name, size }) => ({
      name,
      size,
      url: await this.bucket.presignGetObject(`${prefix}${name}`, expiresIn),
    })));
  }

  /**
   * The run's result.json: null while there is none (the run has not finished, or never uploaded it), a
   * reason when it cannot be trusted as a result. Anything else (no bucket, no permission) throws.
   */
  public async readResult(dispatchId: string): Promise<ParsedRunResult | null> {
    let response;
    try {
      response = await this.bucket.getObject(`${artifactPrefix(dispatchId)}${RESULT_FILE}`);
    } catch (error) {
      if (error instanceof S3Error && error.code === 'NoSuchKey') {
        return null;
      }
      throw error;
    }
    const size = Number(response.headers.get('content-length') ?? 0);
    if (size > MAX_RESULT_BYTES) {
      // Release the connection without reading the body.
      await response.body?.cancel();
      return { ok: false, reason: `${RESULT_FILE} is ${size} bytes, more than a result can be (${MAX_RESULT_BYTES})` };
    }
    return parseRunResult(await response.text(), dispatchId);
  }
}

function inRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, not ${value}`);
  }
  return value;
}
