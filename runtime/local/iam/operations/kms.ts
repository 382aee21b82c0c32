import { arnOf, UnknownOperation, type ArnContext } from './operation';
import type { Authorization } from '../policy/policy-document';

/** moto's ciphertext blob starts with the key's id, 36 characters (moto/kms/utils.py, `_serialize_ciphertext_blob`). */
const MOTO_KEY_ID_LENGTH = 36;

const KEYED = new Set(['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'DescribeKey', 'ReEncrypt']);

/**
 * AWS KMS (AWS JSON 1.1, `TrentService.<Operation>`), per its Service Authorization Reference: the key's ARN,
 * and the encryption context as `kms:EncryptionContext:<key>` and `kms:EncryptionContextKeys`. Decrypt may name
 * no key: the ciphertext does. An alias is resolved to its key through moto.
 */
export async function kmsAuthorizations(operation: string, input: Record<string, any>, context: ArnContext): Promise<Authorization[]> {
  if (!KEYED.has(operation)) {
    throw new UnknownOperation('json-1.1', `kms:${operation}`);
  }
  const keyId = input.KeyId ?? (operation === 'Decrypt' ? keyIdOfCiphertext(String(input.CiphertextBlob ?? '')) : undefined);
  const encryptionContext = (input.EncryptionContext ?? {}) as Record<string, string>;
  const conditions: Record<string, string | string[]> = {
    'kms:CallerAccount': context.account,
    'kms:EncryptionContextKeys': Object.keys(encryptionContext),
  };
  for (const [key, value] of Object.entries(encryptionContext)) {
    conditions[`kms:EncryptionContext:${key}`] = value;
  }
  return [{ action: `kms:${operation}`, resource: await keyArn(context, String(keyId ?? '')), context: conditions }];
}

function keyIdOfCiphertext(ciphertext: string): string {
  return Buffer.from(ciphertext, 'base64').subarray(0, MOTO_KEY_ID_LENGTH).toString('latin1');
}

/** A key's ARN from its id, ARN, alias name or alias ARN. */
export async function keyArn(context: ArnContext, keyId: string): Promise<string> {
  if (keyId.startsWith('alias/') || keyId.includes(':alias/')) {
    const described = await context.upstream.json('kms', 'TrentService.DescribeKey', { KeyId: keyId });
    return described?.KeyMetadata?.Arn ?? arnOf(context, 'kms', '', keyId);
  }
  return arnOf(context, 'kms', 'key/', keyId);
}
