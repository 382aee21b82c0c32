import type { UploadTarget } from '../contracts/upload-target';

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
 * The largest file the presigned POST's policy lets S3 accept (its `content-length-range` maximum), or
 * undefined when the policy names none or cannot be read. S3 matches form field names, `Policy` among
 * them, without regard to case.
 */
function policyMaxBytes(target: UploadTarget): number | undefined {
  const policy = Object.entries(target.fields).find(([name]) => name.toLowerCase() === 'policy')?.[1];
  if (policy === undefined) {
    return undefined;
  }
  try {
    const { conditions } = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as { conditions?: unknown };
    const range = Array.isArray(conditions) ? conditions.find((condition) => Array.isArray(condition) && condition[0] === 'content-length-range') : undefined;
    const maximum = Number(range?.[2]);
    return Number.isSafeInteger(maximum) ? maximum : undefined;
  } catch {
    return undefined; // S3 is left to judge a policy the worker cannot read
  }
}

/**
 * Uploads one file as multipart/form-data: the presigned fields first, then the file, which S3 requires
 * last. A file larger than the policy allows is refused here, unsent, since S3 would only answer 400
 * EntityTooLarge after taking the whole body. Network errors and 5xx answers are retried; a 4xx (an
 * expired or violated policy) is not.
 */
export async function uploadFile(target: UploadTarget, filename: string, content: Uint8Array, contentType: string): Promise<void> {
  const maxBytes = policyMaxBytes(target);
  if (maxBytes !== undefined && content.byteLength > maxBytes) {
    throw new Error(`${filename} was not uploaded: it is ${content.byteLength} bytes, more than the ${maxBytes} the upload policy allows`);
  }
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
    const detail = s3ErrorDetail(await response.text());
    return { error: new Error(`upload of ${filename} was refused: HTTP ${response.status} ${detail}`), retryable: response.status >= 500 };
  } catch (error) {
    return { error: new Error(`upload of ${filename} failed: ${String(error)}`), retryable: true };
  }
}

/** `Code: Message` of S3's XML error document, else the start of whatever answered (a proxy's page, say). */
function s3ErrorDetail(body: string): string {
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return code ? `${code}${message ? `: ${message}` : ''}` : body.slice(0, 500);
}
