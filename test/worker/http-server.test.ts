import type { Server } from 'http';
import type { AddressInfo } from 'net';
import type { Assignment } from '../../runtime/contracts/assignment';
import { createAssignmentSchema } from '../../runtime/contracts/assignment';
import { createWorkerServer, MAX_BODY_BYTES } from '../../runtime/worker/http-server';
import { Logger } from '../../runtime/worker/logger';
import { Redactor } from '../../runtime/worker/redactor';
import type { WorkerState } from '../../runtime/worker/supervisor';

const TOKEN = 'per-task-secret';
const DISPATCH_ID = '01JQ8Z6V3N4R5T7W9Y1B3D5F7H';

const ASSIGNMENT = {
  dispatchId: DISPATCH_ID,
  agent: 'codex',
  model: 'gpt-5-codex',
  prompt: 'Add a changelog entry',
  workspace: { kind: 'ephemeral' },
  timeoutSeconds: 900,
  upload: { url: 'https://bucket.s3.amazonaws.com/', fields: { key: `artifacts/${DISPATCH_ID}/\${filename}` }, keyPrefix: `artifacts/${DISPATCH_ID}/` },
};

describe('worker HTTP API', () => {
  let server: Server;
  let base: string;
  let state: WorkerState;
  let accepted: Assignment[];
  let logs: string;

  beforeEach(async () => {
    state = 'idle';
    accepted = [];
    logs = '';
    server = createWorkerServer({
      token: TOKEN,
      schema: createAssignmentSchema({ agent: 'codex' }),
      api: {
        get state() { return state; },
        accept(assignment) {
          accepted.push(assignment);
          state = 'busy';
          return true;
        },
      },
      logger: new Logger(new Redactor(), null, (line) => { logs += line; }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(`${base}${path}`, init);
    return { status: response.status, body: await response.json(), headers: response.headers };
  }

  function post(body: unknown, authorization = `Bearer ${TOKEN}`) {
    return call('/assignment', { method: 'POST', headers: { authorization }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  }

  test('GET /healthz reports the state, without authentication', async () => {
    expect(await call('/healthz')).toMatchObject({ status: 200, body: { state: 'idle' } });
    state = 'busy';
    expect((await call('/healthz')).body).toEqual({ state: 'busy' });
    state = 'finished';
    expect((await call('/healthz')).body).toEqual({ state: 'finished' });
  });

  test('POST /assignment accepts a valid assignment once, then answers 409', async () => {
    expect(await post(ASSIGNMENT)).toMatchObject({ status: 202, body: { accepted: true, dispatchId: DISPATCH_ID } });
    expect(accepted).toEqual([expect.objectContaining({ dispatchId: DISPATCH_ID, model: 'gpt-5-codex' })]);
    const again = await post(ASSIGNMENT);
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'already_assigned' } } });
    expect(accepted).toHaveLength(1);
  });

  test.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer per-task-secreT'],
    ['a longer token', `Bearer ${TOKEN}x`],
    ['another scheme', `Basic ${TOKEN}`],
    ['an empty bearer', 'Bearer '],
  ])('401 for %s, before the body is looked at', async (_, authorization) => {
    const response = await call('/assignment', { method: 'POST', headers: authorization ? { authorization } : {}, body: 'not even JSON' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String), field: null } });
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(accepted).toEqual([]);
    expect(logs).toContain('refused an assignment without a valid bearer token');
  });

  test('400 for a body that is not JSON', async () => {
    expect(await post('{"dispatchId":')).toMatchObject({ status: 400, body: { error: { code: 'invalid_json', field: null } } });
  });

  test('400 naming the field for a body that fails the schema', async () => {
    const response = await post({ ...ASSIGNMENT, timeoutSeconds: 5 });
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({ code: 'invalid_assignment', field: 'timeoutSeconds', message: expect.stringContaining('timeoutSeconds') });
    expect((await post({ ...ASSIGNMENT, agent: 'claude' })).body.error.field).toBe('agent');
    expect((await post({ ...ASSIGNMENT, extra: true })).body.error.field).toBe('extra');
    expect(accepted).toEqual([]);
  });

  test('413 for a body over 256 KiB, declared or streamed', async () => {
    const big = JSON.stringify({ ...ASSIGNMENT, prompt: 'x'.repeat(MAX_BODY_BYTES) });
    expect(await post(big)).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = await call('/assignment', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: chunked, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(accepted).toEqual([]);
  });

  test('404 for other paths and 405 for other methods, as JSON', async () => {
    expect(await call('/')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await call('/assignment/1')).toMatchObject({ status: 404 });
    const getAssignment = await call('/assignment');
    expect(getAssignment).toMatchObject({ status: 405, body: { error: { code: 'method_not_allowed' } } });
    expect(getAssignment.headers.get('allow')).toBe('POST');
    expect(await call('/healthz', { method: 'POST' })).toMatchObject({ status: 405 });
    expect((await call('/nope')).headers.get('content-type')).toBe('application/json');
  });
});
