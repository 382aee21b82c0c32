/** A presigned S3 POST (the control plane's ArtifactStore.presignUpload), limited to the dispatch's key prefix. */
export interface UploadTarget {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly keyPrefix: string;
}

const ATTEMPTS = 3;
/** Three attempts at most take about 50 s: a slow S3 must not eat the 120 s between SIGTERM and SIGKILL. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The `key` form field for a file: the presigned key as given when it ends in S3's `${filename}`
 * placeholder (S3 substitutes the file part's name), else the key (or the key prefix) as a prefix.
 */
export function formKey(target: UploadTarget, filename: string): string {
  const key = target.fields.key ?? target.keyPrefix;
  return key.includes('${filename}') ? key : `${key}${filename}`;
}

/**
 * Uploads one file as multipart/form-data: the presigned fields first, then the file, which S3 requires
 * last. Network errors and 5xx answers are retried; a 4xx (an expired or violated policy) is not.
 */
export async function uploadFile(target: UploadTarget, filename: string, content: Uint8Array, contentType: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const failure = await postOnce(target, filename, content, contentType);
    if (!failure) {
      return;
    }
    if (!failure.retryable || attempt === ATTEMPTS) {
      throw failure.error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
  }
}

interface UploadFailure {
  readonly error: Error;
  readonly retryable: boolean;
}

async function postOnce(target: UploadTarget, filename: string, content: Uint8Array, contentType: string): Promise<UploadFailure | undefined> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...target.fields, key: formKey(target, filename) })) {
    form.append(name, value);
  }
  form.append('file', new Blob([content], { type: contentType }), filename);
  try {
    const response = await fetch(target.url, { method: 'POST', body: form, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    if (response.ok) {
      return undefined;
    }
    const detail = (await response.text()).slice(0, 500);
    return { error: new Error(`upload of ${filename} was refused: HTTP ${response.status} ${detail}`), retryable: response.status >= 500 };
  } catch (error) {
    return { error: new Error(`upload of ${filename} failed: ${String(error)}`), retryable: true };
  }
}
