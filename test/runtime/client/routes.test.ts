import { CREDENTIALS, ENDPOINT, fakeFetch, type FakeAnswer, type SentRequest } from './fake-fetch';
import { OutpostAdminClient, OutpostClient } from '../../../runtime/client';

const REQUESTER = 'jwt:https://issuer.example.com#bob';

function clients(answer: (request: SentRequest) => FakeAnswer = () => ({ status: 200, body: {} }), endpoint = ENDPOINT) {
  const fake = fakeFetch(answer);
  const options = { endpoint, region: 'eu-west-1', credentials: CREDENTIALS, fetch: fake.fetch };
  return { outpost: new OutpostClient(options), admin: new OutpostAdminClient(options), sent: fake.sent };
}

/** Method, path and query of the one request a call sent. */
function route(sent: SentRequest[]): string {
  expect(sent).toHaveLength(1);
  return `${sent[0].method} ${sent[0].url.pathname}${sent[0].url.search}`;
}

describe('every route, its method, path and query', () => {
  test.each<[string, (c: ReturnType<typeof clients>) => Promise<unknown>, string]>([
    ['dispatch', (c) => c.outpost.dispatch({ agent: 'claude', prompt: 'x' }), 'POST /dispatch'],
    ['getDispatch', (c) => c.outpost.getDispatch('01JD'), 'GET /dispatch/01JD'],
    ['listDispatches', (c) => c.outpost.listDispatches(), 'GET /dispatch'],
    ['listDispatches, a page', (c) => c.outpost.listDispatches({ limit: 10, cursor: 'abc_-' }), 'GET /dispatch?limit=10&cursor=abc_-'],
    ['cancel', (c) => c.outpost.cancel('01JD'), 'DELETE /dispatch/01JD'],
    ['getLogs', (c) => c.outpost.getLogs('01JD'), 'GET /dispatch/01JD/logs'],
    ['getLogs, after a cursor', (c) => c.outpost.getLogs('01JD', { cursor: 'eyJ2', limit: 50 }), 'GET /dispatch/01JD/logs?cursor=eyJ2&limit=50'],
    ['getArtifacts', (c) => c.outpost.getArtifacts('01JD'), 'GET /artifacts/01JD'],
    ['health', (c) => c.outpost.health(), 'GET /health'],
    ['fleetHealth', (c) => c.outpost.fleetHealth(), 'GET /health/fleet'],
    ['listWorkspaces', (c) => c.outpost.listWorkspaces(), 'GET /workspaces'],
    ['deleteWorkspace', (c) => c.outpost.deleteWorkspace('main'), 'DELETE /workspaces/main'],
    ['admin dispatch', (c) => c.admin.dispatch({ agent: 'claude', prompt: 'x' }), 'POST /admin/dispatch'],
    ['admin getDispatch', (c) => c.admin.getDispatch('01JD'), 'GET /admin/dispatch/01JD'],
    ['admin listDispatches', (c) => c.admin.listDispatches(REQUESTER, { limit: 5 }), 'GET /admin/dispatch?requester=jwt%3Ahttps%3A%2F%2Fissuer.example.com%23bob&limit=5'],
    ['admin cancel', (c) => c.admin.cancel('01JD'), 'DELETE /admin/dispatch/01JD'],
    ['admin getLogs', (c) => c.admin.getLogs('01JD'), 'GET /admin/dispatch/01JD/logs'],
    ['admin getArtifacts', (c) => c.admin.getArtifacts('01JD'), 'GET /admin/artifacts/01JD'],
  ])('%s', async (_name, call, expected) => {
    const c = clients();
    await call(c);
    expect(route(c.sent)).toBe(expected);
  });

  test('followLogs reads the logs route with the cursor it was given last, and the limit', async () => {
    const c = clients((request) => ({
      status: 200,
      body: request.url.searchParams.has('cursor') ? { status: 'FAILED', lines: [], cursor: 'c1' } : { status: 'RUNNING', lines: [{ time: 't', message: 'm' }], cursor: 'c1' },
    }));
    for await (const line of c.outpost.followLogs('01JD', { limit: 7 })) {
      expect(line.message).toBe('m');
    }
    expect(c.sent.map((request) => `${request.url.pathname}${request.url.search}`)).toEqual(['/dispatch/01JD/logs?limit=7', '/dispatch/01JD/logs?cursor=c1&limit=7']);
  });

  test('path parameters are encoded, so that an id or a name can never reach another route', async () => {
    const c = clients();
    await c.outpost.getDispatch('../health');
    await c.outpost.deleteWorkspace('a/b?c');
    expect(c.sent.map((request) => request.url.pathname)).toEqual(['/dispatch/..%2Fhealth', '/workspaces/a%2Fb%3Fc']);
  });

  test('query values are encoded as SigV4 encodes them (RFC 3986): what the API decodes is what was signed', async () => {
    const c = clients();
    await c.admin.listDispatches("arn:aws:sts::1:assumed-role/Dev/o'brien (x)*!");
    expect(c.sent[0].url.search).toBe('?requester=arn%3Aaws%3Asts%3A%3A1%3Aassumed-role%2FDev%2Fo%27brien%20%28x%29%2A%21');
  });

  test('an endpoint with a base path (a custom domain\'s mapping) keeps it', async () => {
    const c = clients(undefined, 'https://api.example.com/outpost/');
    await c.outpost.getDispatch('01JD');
    expect(c.sent[0].url.href).toBe('https://api.example.com/outpost/dispatch/01JD');
  });
});

describe('answers', () => {
  test('GET /health answers an unhealthy platform (503) with its report instead of throwing', async () => {
    const report = { status: 'unavailable', version: '1.2.3', checks: { dispatchesTable: { healthy: false, detail: 'ResourceNotFoundException' } } };
    const c = clients(() => ({ status: 503, body: report }));
    expect(await c.outpost.health()).toEqual(report);
    expect(c.sent).toHaveLength(1);
  });

  test('workspaces and the fleet, as the API answers them', async () => {
    const workspaces = { workspaces: [{ name: 'main', createdAt: '2026-01-02T03:04:05.000Z', lastUsedAt: '2026-01-03T03:04:05.000Z', inUseBy: '01JD' }] };
    const fleet = { agents: { claude: { idle: 2, starting: 1, busy: 3, queued: 0, oldestQueuedAgeSeconds: null } } };
    const c = clients((request) => ({ status: 200, body: request.url.pathname === '/workspaces' ? workspaces : fleet }));
    expect(await c.outpost.listWorkspaces()).toEqual(workspaces);
    expect(await c.outpost.fleetHealth()).toEqual(fleet);
  });

  test('a delete answered with no content resolves', async () => {
    const c = clients(() => ({ status: 204 }));
    await expect(c.outpost.deleteWorkspace('main')).resolves.toBeUndefined();
  });
});
