import { sameHex } from './request-signature';
import { ALGORITHM, parseAmzDate, parseCredential, signString, type CredentialScope } from './sigv4';

/**
 * S3's browser-based upload (POST Object with a policy), as S3 checks it
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html): the signature is the HMAC of the
 * base64 policy under the credential's signing key; the policy must not have expired; every form field but the
 * signature, the policy and the file must be allowed by a condition, and every condition must hold.
 * The worker uploads its artifacts this way with a POST that a handler signed (runtime/adapters/artifact-store.ts),
 * so the gate checks it as S3 would, and authorizes s3:PutObject as the role that signed it.
 */
export interface PostUpload {
  readonly scope: CredentialScope;
  readonly securityToken: string | undefined;
  /** The object's key, `${filename}` replaced by the file's name. */
  readonly key: string;
  /** Why S3 would refuse the form whoever signed it (expired policy, a broken condition); undefined if none. */
  readonly policyViolation: string | undefined;
  matches(secretAccessKey: string): boolean;
}

/** The form is not a signed POST upload. */
export class NotAPostUpload extends Error {}

/** Form fields that S3 does not hold to the policy's conditions. */
const UNCONDITIONED = new Set(['x-amz-signature', 'policy', 'file']);

export async function readPostUpload(bucket: string, contentType: string, body: Buffer, now: number): Promise<PostUpload> {
  let form: FormData;
  try {
    form = await new Request('http://form/', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
  } catch (error) {
    throw new NotAPostUpload(`not a multipart/form-data upload: ${String(error)}`);
  }
  const fields = new Map<string, string>();
  let file: { name: string; size: number } | undefined;
  form.forEach((value, name) => {
    if (typeof value === 'string') {
      fields.set(name.toLowerCase(), value);
    } else {
      file = { name: value.name, size: value.size };
    }
  });
  const policy = fields.get('policy');
  const scope = parseCredential(fields.get('x-amz-credential') ?? '');
  if (!policy || !scope || fields.get('x-amz-algorithm') !== ALGORITHM || !file) {
    throw new NotAPostUpload(`a POST upload needs Policy, X-Amz-Algorithm=${ALGORITHM}, X-Amz-Credential, X-Amz-Signature and a file`);
  }
  const key = (fields.get('key') ?? '').replace('${filename}', file.name);
  const policyViolation = violation(policy, { bucket, ...Object.fromEntries(fields), key }, [...fields.keys()], file.size, now)
    ?? (Number.isNaN(parseAmzDate(fields.get('x-amz-date'))) ? 'X-Amz-Date is missing' : undefined);
  return {
    scope,
    key,
    policyViolation,
    securityToken: fields.get('x-amz-security-token'),
    matches: (secret) => sameHex(signString(secret, scope, policy), fields.get('x-amz-signature') ?? ''),
  };
}

type Condition = Record<string, string> | [string, ...unknown[]];

function violation(policyBase64: string, fields: Record<string, string>, sent: string[], size: number, now: number): string | undefined {
  let policy: { expiration?: string; conditions?: Condition[] };
  try {
    policy = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8'));
  } catch {
    return 'Invalid Policy: Invalid JSON.';
  }
  if (!(Date.parse(policy.expiration ?? '') > now)) {
    return 'Invalid according to Policy: Policy expired.';
  }
  const conditioned = new Set<string>();
  for (const condition of policy.conditions ?? []) {
    const broken = brokenCondition(condition, fields, size, conditioned);
    if (broken) {
      return `Invalid according to Policy: Policy Condition failed: ${broken}`;
    }
  }
  const free = sent.find((name) => !UNCONDITIONED.has(name) && !name.startsWith('x-ignore-') && !conditioned.has(name));
  return free ? `Invalid according to Policy: Extra input fields: ${free}` : undefined;
}

function brokenCondition(condition: Condition, fields: Record<string, string>, size: number, conditioned: Set<string>): string | undefined {
  if (!Array.isArray(condition)) {
    const [[name, value]] = Object.entries(condition);
    conditioned.add(name.toLowerCase());
    return fields[name.toLowerCase()] === value ? undefined : JSON.stringify(condition);
  }
  const [operator, first, second] = condition;
  if (operator === 'content-length-range') {
    return size >= Number(first) && size <= Number(second) ? undefined : JSON.stringify(condition);
  }
  const name = String(first).replace(/^\$/, '').toLowerCase();
  conditioned.add(name);
  const actual = fields[name] ?? '';
  const holds = operator === 'eq' ? actual === second : operator === 'starts-with' ? actual.startsWith(String(second)) : false;
  return holds ? undefined : JSON.stringify(condition);
}
