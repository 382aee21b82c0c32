import type { Authorization, RequestContext } from '../policy/policy-document';

/** Tags given at creation: `<service>:TagResource` with `<service>:CreateAction` and the request's tags. */
export function tagging(tags: unknown, resource: string, createAction: string, service = 'ecs', keyName = 'key', valueName = 'value'): Authorization[] {
  const list = Array.isArray(tags) ? tags as Array<Record<string, string>> : [];
  if (list.length === 0) {
    return [];
  }
  const context: Record<string, string | string[]> = {
    [`${service}:CreateAction`]: createAction,
    'aws:TagKeys': list.map((tag) => tag[keyName]),
  };
  for (const tag of list) {
    context[`aws:RequestTag/${tag[keyName]}`] = tag[valueName];
  }
  return [{ action: `${service}:TagResource`, resource, context: context as RequestContext }];
}
