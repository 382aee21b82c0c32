import { arnOf, UnknownOperation, jsonInput, type ArnContext } from './operation';
import { tagging } from './tagging';
import type { Authorization } from '../policy/policy-document';

const ACCESS_POINTS = /^\/2015-02-01\/access-points(?:\/([^/]+))?$/;

/**
 * Amazon EFS (REST JSON, `/2015-02-01/access-points`), per its Service Authorization Reference:
 * CreateAccessPoint on the file system, with `elasticfilesystem:TagResource` for its tags; DeleteAccessPoint on
 * the access point, whose tags (`aws:ResourceTag/<key>`) moto is asked for; DescribeAccessPoints on the file system it
 * filters by, or the one of the access point it names.
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
    // IAM authorizes DescribeAccessPoints on the file system (its only resource type in the Service
    // Authorization Reference), also when the request names an access point: the provisioner's grant is on it.
    const id = query.get('AccessPointId');
    const fileSystemId = query.get('FileSystemId') ?? (id ? (await describeAccessPoint(context, id))?.FileSystemId : undefined);
    return [{ action: 'elasticfilesystem:DescribeAccessPoints', resource: fileSystemId ? fileSystem(fileSystemId) : id ? accessPoint(id) : '*' }];
  }
  throw new UnknownOperation('rest-json', `elasticfilesystem ${method} ${path}`);
}

interface AccessPointDescription {
  readonly FileSystemId?: string;
  readonly Tags?: Array<{ Key: string; Value: string }>;
}

async function describeAccessPoint(context: ArnContext, accessPointId: string): Promise<AccessPointDescription | undefined> {
  const answer = await context.upstream.rest('elasticfilesystem', 'GET', `/2015-02-01/access-points?AccessPointId=${encodeURIComponent(accessPointId)}`);
  return answer?.AccessPoints?.[0];
}

async function resourceTags(context: ArnContext, accessPointId: string): Promise<Record<string, string>> {
  const tags = (await describeAccessPoint(context, accessPointId))?.Tags ?? [];
  return Object.fromEntries(tags.map(({ Key, Value }) => [`aws:ResourceTag/${Key}`, Value]));
}
