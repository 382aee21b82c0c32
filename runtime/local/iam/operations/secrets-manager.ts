import { arnOf, UnknownOperation, type ArnContext } from './operation';
import type { Authorization } from '../policy/policy-document';

const ON_SECRET = new Set([
  'GetSecretValue', 'PutSecretValue', 'DescribeSecret', 'UpdateSecretVersionStage', 'ListSecretVersionIds',
  'RotateSecret', 'CancelRotateSecret', 'UpdateSecret',
]);

/**
 * AWS Secrets Manager (AWS JSON 1.1, `secretsmanager.<Operation>`): the secret's ARN, whose six-character suffix
 * only Secrets Manager knows, so a secret named by its name is looked up in moto.
 */
export async function secretsManagerAuthorizations(operation: string, input: Record<string, any>, context: ArnContext): Promise<Authorization[]> {
  if (!ON_SECRET.has(operation)) {
    throw new UnknownOperation('json-1.1', `secretsmanager:${operation}`);
  }
  const secretId = String(input.SecretId ?? '');
  const described = secretId.startsWith('arn:') ? undefined : await context.upstream.json('secretsmanager', 'secretsmanager.DescribeSecret', { SecretId: secretId });
  return [{ action: `secretsmanager:${operation}`, resource: described?.ARN ?? arnOf(context, 'secretsmanager', 'secret:', secretId) }];
}
