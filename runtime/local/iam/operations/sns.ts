import { UnknownOperation } from './operation';
import type { Authorization } from '../policy/policy-document';

/** Amazon SNS (AWS query protocol, `Action=Publish`): the topic's ARN. */
export function snsAuthorizations(operation: string, form: URLSearchParams): Authorization[] {
  if (operation !== 'Publish') {
    throw new UnknownOperation('query', `sns:${operation}`);
  }
  return [{ action: 'sns:Publish', resource: form.get('TopicArn') ?? form.get('TargetArn') ?? '' }];
}
