import { keyArn } from './kms';
import { arnOf, UnknownOperation, type ArnContext } from './operation';
import type { Authorization } from '../policy/policy-document';

const ON_SECRET = new Set([
  'GetSecretValue', 'PutSecretValue', 'DescribeSecret', 'UpdateSecretVersionStage', 'ListSecretVersionIds',
  'RotateSecret', 'CancelRotateSecret', 'UpdateSecret',
]);

/** The KMS call Secrets Manager makes as the caller, for a secret under a customer managed key. */
const KMS_ON_BEHALF: Readonly<Record<string, string>> = { GetSecretValue: 'kms:Decrypt', PutSecretValue: 'kms:GenerateDataKey' };

/**
 * AWS Secrets Manager (AWS JSON 1.1, `secretsmanager.<Operation>`): the secret's ARN, whose six-character suffix
 * only Secrets Manager knows, so the gate asks moto. A secret under a customer managed key is read and written
 * with the caller's KMS permissions too (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html):
 * kms:Decrypt or kms:GenerateDataKey on the key, with `kms:ViaService` and the `SecretARN` encryption context.
 */
export async function secretsManagerAuthorizations(operation: string, input: Record<string, any>, context: ArnContext): Promise<Authorization[]> {
  if (!ON_SECRET.has(operation)) {
    throw new UnknownOperation('json-1.1', `secretsmanager:${operation}`);
  }
  const secretId = String(input.SecretId ?? '');
  const described = await context.upstream.json('secretsmanager', 'secretsmanager.DescribeSecret', { SecretId: secretId });
  const secret = described?.ARN ?? arnOf(context, 'secretsmanager', 'secret:', secretId);
  const onKey = KMS_ON_BEHALF[operation] && described?.KmsKeyId ? [{
    action: KMS_ON_BEHALF[operation],
    resource: await keyArn(context, String(described.KmsKeyId)),
    context: {
      'kms:ViaService': `secretsmanager.${context.region}.amazonaws.com`,
      'kms:CallerAccount': context.account,
      'kms:EncryptionContext:SecretARN': secret,
      'kms:EncryptionContextKeys': ['SecretARN', 'SecretVersionId'],
    },
  }] : [];
  return [{ action: `secretsmanager:${operation}`, resource: secret }, ...onKey];
}
