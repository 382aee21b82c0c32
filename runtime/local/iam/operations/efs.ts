import { arnOf, UnknownOperation, jsonInput, type ArnContext } from './operation';
import { tagging } from './tagging';
import type { Authorization } from '../policy/policy-document';

const ACCESS_POINTS = /^\/2015-02-01\/access-points(?:\/([^/]+))?$/;

/**
 * Amazon EFS (REST JSON, `/2015-02-01/access-points`), per its Service Authorization Reference:
 * CreateAccessPoint on the file system, with `elasticfilesystem:TagResource` for its tags; DeleteAccessPoint on
 * the access point, whose tags (`aws:ResourceTag/<key>`) moto is asked for; DescribeAccessPoints on what it
 * filters by.
 */
export async function efsAuthorizations(
  method: string, path: string, query: URLSearchParams, body: Buffer, context: ArnContext,
): Promise<Authorization[]> {
  const match = ACCESS_POINTS.exec(path);
  const fileSystem = (id: string) => arnOf(context, 'elasticfilesystem', 'file-system/', id);
  const accessPoint = (id: string) => arnOf(context, 'elasticfilesystem', 'access-point/', id);
  if (match && method === 'POST' && !match[1]) {
    const input = jsonInput(body);
    return [
      { action: 'elasticfilesystem:CreateAccessPoint', resource: fileSystem(String(input.FileSystemId)) },
      ...tagging(input.Tags, accessPoint('*'), 'CreateAccessPoint', 'elasticfilesystem', 'Key', 'Value'),
    ];
  }
  if (match && method === 'DELETE' && match[1]) {
    const id = decodeURIComponent(match[1]);
    return [{ action: 'elasticfilesystem:DeleteAccessPoint', resource: accessPoint(id), context: await resourceTags(context, id) }];
  }
  if (match && method === 'GET' && !match[1]) {
    const id = query.get('AccessPointId');
    const fileSystemId = query.get('FileSystemId');
    return [{ action: 'elasticfilesystem:DescribeAccessPoints', resource: id ? accessPoint(id) : fileSystemId ? fileSystem(fileSystemId) : '*' }];
  }
  throw new UnknownOperation('rest-json', `elasticfilesystem ${method} ${path}`);
}

async function resourceTags(context: ArnContext, accessPointId: string): Promise<Record<string, string>> {
  const answer = await context.upstream.rest('elasticfilesystem', 'GET', `/2015-02-01/access-points?AccessPointId=${encodeURIComponent(accessPointId)}`);
  const tags = (answer?.AccessPoints?.[0]?.Tags ?? []) as Array<{ Key: string; Value: string }>;
  return Object.fromEntries(tags.map(({ Key, Value }) => [`aws:ResourceTag/${Key}`, Value]));
}
