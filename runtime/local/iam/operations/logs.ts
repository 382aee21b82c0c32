import { arnOf, UnknownOperation, type ArnContext } from './operation';
import type { Authorization } from '../policy/policy-document';

/**
 * Amazon CloudWatch Logs (AWS JSON 1.1, `Logs_20140328.<Operation>`). IAM sees a log group as
 * `log-group:<name>:*` (the ARN CloudFormation's Arn attribute gives) and a stream as
 * `log-group:<name>:log-stream:<stream>`.
 */
export function logsAuthorizations(operation: string, input: Record<string, any>, context: ArnContext): Authorization[] {
  const identifier = String(input.logGroupIdentifier ?? input.logGroupName ?? '');
  const group = identifier.startsWith('arn:') ? identifier.replace(/:\*$/, '') : arnOf(context, 'logs', 'log-group:', identifier);
  switch (operation) {
    case 'GetLogEvents':
    case 'PutLogEvents':
    case 'CreateLogStream':
      return [{ action: `logs:${operation}`, resource: `${group}:log-stream:${input.logStreamName}` }];
    case 'FilterLogEvents':
    case 'DescribeLogStreams':
    case 'GetLogGroupFields':
    case 'CreateLogGroup':
      return [{ action: `logs:${operation}`, resource: `${group}:*` }];
    case 'DescribeLogGroups':
      return [{ action: 'logs:DescribeLogGroups', resource: '*' }];
    default:
      throw new UnknownOperation('json-1.1', `logs:${operation}`);
  }
}
