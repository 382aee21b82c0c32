import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { BOB_JWT, hostileRequests, type Fixtures, type HandlerName, type HostileRequest } from './support/hostile-requests';
import { apiRequest, callApi, type ApiAnswer, type ApiHandler } from '../../support/api-event';
import { MotoPlatform, startMotoPlatform } from '../../support/moto-platform';
import { ALICE, BOB } from '../dispatch/support/dispatches';
import { KNOWN_FIELDS } from '../dispatch/support/request-arbitraries';

const REQUESTS = 10_000;
/** Codes of `POST /dispatch` whose error names the field at fault. */
const FIELD_CODES = ['InvalidField', 'UnknownField', 'AgentNotDeployed', 'PersistentWorkspacesUnavailable'];

/**
 * Everything the handlers could write to: the tables, the cluster's tasks, the artifacts bucket. A refused
 * request leaves it as it was.
 */
async function platformState(platform: MotoPlatform) {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const ecs = new ECSClient({});
  const scan = async (table: string) => ((await documents.send(new ScanCommand({ TableName: table }))).Items ?? [])
    .sort((a, b) => String(a.id ?? a.taskId ?? a.eventId).localeCompare(String(b.id ?? b.taskId ?? b.eventId)));
  const tasks = async (desiredStatus: 'RUNNING' | 'STOPPED') => ((await ecs.send(new ListTasksCommand({ cluster: 'outpost', desiredStatus }))).taskArns ?? []).sort();
  const { Contents = [] } = await new S3Client({ forcePathStyle: true }).send(new ListObjectsV2Command({ Bucket: platform.config.artifactsBucket }));
  return {
    dispatches: await scan(platform.tables.dispatches),
    pool: await scan(platform.tables.pool),
    audit: await scan(platform.tables.audit),
    tasks: { running: await tasks('RUNNING'), stopped: await tasks('STOPPED') },
    objects: Contents.map(({ Key, ETag, Size }) => ({ Key, ETag, Size })),
  };
}

/** How an answer breaks the contract for a refused request: a 4xx, `{ error: { code, message, field? } }`, as due. */
function problemsWith(answer: ApiAnswer, { handler, due }: HostileRequest): string[] {
  const error = answer.body?.error;
  const field = error?.field;
  return [
    (answer.statusCode >= 400 && answer.statusCode <= 499) || `status ${answer.statusCode}`,
    answer.statusCode === due.status || `status ${answer.statusCode} where ${due.status} was due`,
    answer.headers?.['content-type'] === 'application/json' || 'not JSON',
    (typeof error?.code === 'string' && /^[A-Z][A-Za-z]+$/.test(error.code)) || `code ${JSON.stringify(error?.code)}`,
    !due.codes || due.codes.includes(error?.code) || `code ${error?.code} where one of ${due.codes.join(', ')} was due`,
    (typeof error?.message === 'string' && error.message.trim().length > 0) || 'no message',
    // A message is for people: it does not echo a hostile input back whole.
    (typeof error?.message === 'string' && error.message.length <= 500) || `a message of ${error?.message?.length} characters`,
    Object.keys(answer.body ?? {}).join() === 'error' || `body ${JSON.stringify(answer.body).slice(0, 200)}`,
    !(handler === 'create' && FIELD_CODES.includes(error?.code)) || typeof field === 'string' || `${error?.code} without the field`,
    due.field === undefined || field === due.field || (typeof field === 'string' && field.startsWith(`${due.field}.`))
      || `field ${JSON.stringify(field)} where ${due.field} was due`,
  ].filter((check): check is string => check !== true);
}

describe('every dispatch route refuses malformed and hostile requests with a 4xx, and writes nothing (moto)', () => {
  let platform: MotoPlatform;
  let handlers: Record<HandlerName, ApiHandler>;
  let fixtures: Fixtures;

  beforeAll(async () => {
    platform = await startMotoPlatform();
    handlers = { create: platform.handler('dispatch-create'), read: platform.handler('dispatch-read'), cancel: platform.handler('dispatch-cancel') };
    // What the requests aim at: bob's dispatches (he signs in through the OIDC issuer), his cursors, and one of alice's.
    const dispatch = async (authorizer: unknown, prompt: string) =>
      (await callApi(handlers.create, apiRequest('POST /dispatch', undefined, { authorizer, body: { agent: 'claude', prompt } }))).body.id as string;
    const bobDispatchIds: string[] = [];
    for (const prompt of ['fix the parser', 'update the README', 'bump the SDK']) {
      bobDispatchIds.push(await dispatch(BOB_JWT, prompt));
    }
    const aliceDispatchId = await dispatch({ iam: { userArn: ALICE } }, 'add a test');
    await platform.deliverColdStarts();
    const listed = await callApi(handlers.read, apiRequest('GET /dispatch', BOB, { query: { limit: '1' } }));
    const logs = await callApi(handlers.read, apiRequest('GET /dispatch/{id}/logs', BOB, { id: bobDispatchIds[0] }));
    fixtures = { bobDispatchIds, bobListCursor: listed.body.cursor, bobLogCursor: logs.body.cursor, aliceDispatchId };
  });
  afterAll(() => platform.stop());

  test('the fixtures are what the requests aim at: bob\'s dispatches, readable by bob, and his cursors', async () => {
    expect(fixtures.bobDispatchIds).toEqual([expect.stringMatching(/^[0-9A-Z]{26}$/), expect.any(String), expect.any(String)]);
    expect(fixtures.bobListCursor).toEqual(expect.any(String));
    expect(fixtures.bobLogCursor).toEqual(expect.any(String));
    for (const id of fixtures.bobDispatchIds) {
      expect(await callApi(handlers.read, apiRequest('GET /dispatch/{id}', BOB, { id }))).toMatchObject({ statusCode: 200, body: { id, status: 'STARTING' } });
    }
    expect(await callApi(handlers.read, apiRequest('GET /dispatch/{id}', ALICE, { id: fixtures.aliceDispatchId }))).toMatchObject({ statusCode: 200 });
  });

  test(`${REQUESTS.toLocaleString('en')} hostile requests: each a 4xx with a code and a message, none a 5xx or a throw; nothing written`, async () => {
    const before = await platformState(platform);
    const tally = new Map<string, number>();
    let lookups = 0;

    await fc.assert(fc.asyncProperty(hostileRequests(fixtures), async (request) => {
      tally.set(request.kind, (tally.get(request.kind) ?? 0) + 1);
      lookups += request.lookup ? 1 : 0;
      let answer: ApiAnswer;
      try {
        answer = await callApi(handlers[request.handler], request.event);
      } catch (error) {
        throw new Error(`${request.kind}: the handler threw (Lambda would answer 5xx): ${String(error)}`);
      }
      expect({ kind: request.kind, problems: problemsWith(answer, request) }).toEqual({ kind: request.kind, problems: [] });
    }), { numRuns: REQUESTS });

    const runs = [...tally.values()].reduce((sum, count) => sum + count, 0);
    expect(runs).toBeGreaterThanOrEqual(REQUESTS);
    // Every kind of request was made, plain and base64; few needed a lookup to be refused.
    const kinds = new Set([...tally.keys()].map((kind) => kind.replace(/, base64$/, '')));
    expect([...kinds].sort()).toEqual([
      'JSON flagged as base64', 'agent not deployed', 'another caller\'s dispatch', 'bad admin list query', ...KNOWN_FIELDS.map((field) => `bad ${field}`),
      'bad list query', 'bad logs query', 'huge body', 'invalid UTF-8', 'missing field', 'no body', 'no identity', 'no such dispatch', 'not JSON', 'not an object',
      'odd id', 'traversing workspace name', 'unknown field', 'unknown field in repository', 'unknown field in workspace',
    ].sort());
    expect([...tally.keys()].filter((kind) => kind.endsWith(', base64')).length).toBeGreaterThan(5);
    expect(lookups / runs).toBeLessThan(0.2);

    expect(await platformState(platform)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  }, 300_000);
});
