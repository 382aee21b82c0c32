import { errorResponse } from '../../../runtime/core/dispatch/api-error';
import { MAX_REQUEST_BYTES, parseDispatchRequest } from '../../../runtime/core/dispatch/request';

const MINIMAL = { agent: 'codex', prompt: 'add a --verbose flag' };

function parse(body: Record<string, unknown>) {
  return parseDispatchRequest(JSON.stringify(body));
}

/** The error for `body`, failing the test if it was accepted. */
function rejection(body: string | undefined, maxBytes?: number) {
  const parsed = parseDispatchRequest(body, maxBytes);
  if (parsed.ok) {
    throw new Error(`accepted: ${body?.slice(0, 200)}`);
  }
  return parsed.error;
}

describe('parseDispatchRequest', () => {
  test('a minimal body gets the defaults', () => {
    expect(parse(MINIMAL)).toEqual({
      ok: true,
      request: { agent: 'codex', prompt: 'add a --verbose flag', workspace: { kind: 'ephemeral' }, timeoutSeconds: 3600 },
    });
  });

  test('a maximal body is kept as given', () => {
    const body = {
      agent: 'aider',
      model: 'anthropic/claude-sonnet-4-5',
      prompt: 'p'.repeat(100_000),
      repository: { url: 'https://github.com/org/repo.git', baseBranch: 'release/2.x' },
      workspace: { kind: 'persistent', name: 'a'.repeat(63) },
      timeoutSeconds: 86_400,
      idempotencyKey: ' ~'.repeat(64),
    };
    expect(parse(body)).toEqual({ ok: true, request: body });
  });

  test.each([
    [{ modelTier: 'fast' }, { modelTier: 'fast' }],
    [{ model: 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5' }, {}],
    [{ model: 'ollama_chat/qwen2.5-coder:7b' }, {}],
    [{ repository: { url: 'git@github.com:org/repo.git' } }, { repository: { url: 'git@github.com:org/repo.git', baseBranch: 'main' } }],
    [{ repository: { url: 'https://gitlab.example.com/group/sub/repo' } }, { repository: { url: 'https://gitlab.example.com/group/sub/repo', baseBranch: 'main' } }],
    [{ timeoutSeconds: 60 }, {}],
    [{ workspace: { kind: 'persistent', name: '0' } }, {}],
  ])('accepts %j', (extra, expected) => {
    const parsed = parse({ ...MINIMAL, ...extra });
    expect(parsed.ok && parsed.request).toMatchObject({ ...extra, ...expected });
  });

  test.each([
    ['agent', { agent: undefined }, 'agent is required'],
    ['agent', { agent: 'bard' }, 'agent must be one of claude, codex, gemini, aider, grok'],
    ['agent', { agent: 7 }, 'agent must be one of claude, codex, gemini, aider, grok'],
    ['prompt', { prompt: undefined }, 'prompt is required'],
    ['prompt', { prompt: '' }, 'prompt must not be empty'],
    ['prompt', { prompt: 'p'.repeat(100_001) }, 'prompt must be at most 100000 characters'],
    ['prompt', { prompt: ['a'] }, 'prompt must be a string'],
    ['model', { model: '-oProxyCommand=evil' }, expect.stringMatching(/^model must be a model id/)],
    ['model', { model: 'm'.repeat(257) }, expect.stringMatching(/^model must be a model id/)],
    ['model', { model: 'gpt 5' }, expect.stringMatching(/^model must be a model id/)],
    ['modelTier', { modelTier: 'huge' }, 'modelTier must be one of flagship, balanced, fast'],
    ['modelTier', { model: 'gpt-5', modelTier: 'fast' }, expect.stringMatching(/^modelTier cannot be given with model/)],
    ['repository', { repository: 'https://github.com/org/repo' }, 'repository must be an object'],
    ['repository.url', { repository: {} }, 'repository.url is required'],
    ['repository.url', { repository: { url: 'http://github.com/org/repo' } }, expect.stringMatching(/^repository.url must be an https URL/)],
    ['repository.url', { repository: { url: 'https://token@github.com/org/repo' } }, expect.stringMatching(/^repository.url must be an https URL/)],
    ['repository.url', { repository: { url: 'https://user:pass@github.com/org/repo' } }, expect.stringMatching(/^repository.url must be an https URL/)],
    ['repository.url', { repository: { url: 'https://github.com/org/re\npo' } }, expect.stringMatching(/^repository.url must be an https URL/)],
    ['repository.url', { repository: { url: 'file:///etc/passwd' } }, expect.stringMatching(/^repository.url must be an https URL/)],
    ['repository.url', { repository: { url: 'git@-oProxyCommand=x:org/repo' } }, expect.stringMatching(/^repository.url must be an https URL/)],
    ['repository.url', { repository: { url: 'ext::sh -c touch% /tmp/pwned' } }, expect.stringMatching(/^repository.url must be an https URL/)],
    ['repository.url', { repository: { url: `https://github.com/${'a'.repeat(2048)}` } }, 'repository.url must be at most 2048 characters'],
    ['repository.baseBranch', { repository: { url: 'https://github.com/o/r', baseBranch: '--upload-pack=evil' } }, 'repository.baseBranch must be a valid git branch name'],
    ['repository.baseBranch', { repository: { url: 'https://github.com/o/r', baseBranch: 'a..b' } }, 'repository.baseBranch must be a valid git branch name'],
    ['repository.baseBranch', { repository: { url: 'https://github.com/o/r', baseBranch: '' } }, 'repository.baseBranch must be a valid git branch name'],
    ['workspace', { workspace: 'persistent' }, 'workspace must be {"kind":"ephemeral"} or {"kind":"persistent","name":"…"}'],
    ['workspace.kind', { workspace: { kind: 'shared' } }, 'workspace.kind must be "ephemeral" or "persistent"'],
    ['workspace.name', { workspace: { kind: 'persistent' } }, 'workspace.name is required'],
    ['workspace.name', { workspace: { kind: 'persistent', name: '../../etc' } }, expect.stringMatching(/^workspace.name must be 1 to 63/)],
    ['workspace.name', { workspace: { kind: 'persistent', name: 'a/b' } }, expect.stringMatching(/^workspace.name must be 1 to 63/)],
    ['workspace.name', { workspace: { kind: 'persistent', name: 'Alice' } }, expect.stringMatching(/^workspace.name must be 1 to 63/)],
    ['workspace.name', { workspace: { kind: 'persistent', name: '-a' } }, expect.stringMatching(/^workspace.name must be 1 to 63/)],
    ['workspace.name', { workspace: { kind: 'persistent', name: 'a'.repeat(64) } }, expect.stringMatching(/^workspace.name must be 1 to 63/)],
    ['timeoutSeconds', { timeoutSeconds: 59 }, 'timeoutSeconds must be at least 60'],
    ['timeoutSeconds', { timeoutSeconds: 86_401 }, 'timeoutSeconds must be at most 86400 (24 hours)'],
    ['timeoutSeconds', { timeoutSeconds: 90.5 }, 'timeoutSeconds must be an integer'],
    ['timeoutSeconds', { timeoutSeconds: '3600' }, 'timeoutSeconds must be an integer'],
    ['idempotencyKey', { idempotencyKey: '' }, 'idempotencyKey must be 1 to 128 printable ASCII characters'],
    ['idempotencyKey', { idempotencyKey: 'k'.repeat(129) }, 'idempotencyKey must be 1 to 128 printable ASCII characters'],
    ['idempotencyKey', { idempotencyKey: 'clé' }, 'idempotencyKey must be 1 to 128 printable ASCII characters'],
    ['idempotencyKey', { idempotencyKey: 'a\nb' }, 'idempotencyKey must be 1 to 128 printable ASCII characters'],
  ])('%s: %j is refused', (field, extra, message) => {
    expect(rejection(JSON.stringify({ ...MINIMAL, ...extra }))).toEqual({ status: 400, code: 'InvalidField', field, message });
  });

  test.each([
    [{ ...MINIMAL, priority: 'high' }, 'priority'],
    [{ ...MINIMAL, repository: { url: 'https://github.com/o/r', credential: 'x' } }, 'repository.credential'],
    [{ ...MINIMAL, workspace: { kind: 'ephemeral', name: 'x' } }, 'workspace.name'],
  ])('an unknown field is refused by name: %j', (body, field) => {
    expect(rejection(JSON.stringify(body))).toEqual({ status: 400, code: 'UnknownField', field, message: `"${field}" is not a known field` });
  });

  test('a prototype-pollution key is an unknown field, and pollutes nothing', () => {
    expect(rejection('{"agent":"claude","prompt":"x","__proto__":{"polluted":true}}')).toMatchObject({ code: 'UnknownField', field: '__proto__' });
    expect(rejection('{"agent":"claude","prompt":"x","repository":{"url":"https://github.com/o/r","constructor":{"prototype":{"polluted":true}}}}'))
      .toMatchObject({ code: 'UnknownField', field: 'repository.constructor' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a very long unknown field name is cut short in the error', () => {
    const error = rejection(JSON.stringify({ ...MINIMAL, ['k'.repeat(10_000)]: 1 }));
    expect(error.field).toBe(`${'k'.repeat(128)}…`);
  });

  test.each([undefined, '', '  \n'])('an empty body (%j) has its own code', (body) => {
    expect(rejection(body)).toEqual({ status: 400, code: 'EmptyBody', message: expect.any(String) });
  });

  test.each(['{', 'agent=claude', '{"agent":"claude",}', "{'agent':'claude'}"])('a body that is not JSON (%s) has its own code', (body) => {
    expect(rejection(body)).toEqual({ status: 400, code: 'MalformedJson', message: 'the body is not valid JSON' });
  });

  test.each(['[]', '"claude"', '42', 'null', 'true'])('JSON that is not an object (%s) is refused as a whole', (body) => {
    expect(rejection(body)).toEqual({ status: 400, code: 'InvalidRequest', message: 'the body must be a JSON object' });
  });

  test('an oversized body is a 413 before it is parsed, counted in bytes', () => {
    // 90,000 characters is a valid prompt, but each '€' is three bytes.
    const body = JSON.stringify({ ...MINIMAL, prompt: '€'.repeat(90_000) });
    expect(body.length).toBeLessThan(MAX_REQUEST_BYTES);
    expect(parseDispatchRequest(body, 4 * MAX_REQUEST_BYTES).ok).toBe(true);
    expect(rejection(body)).toEqual({ status: 413, code: 'PayloadTooLarge', message: `the body must be at most ${MAX_REQUEST_BYTES} bytes` });
    expect(rejection(`{${' '.repeat(MAX_REQUEST_BYTES)}`)).toMatchObject({ code: 'PayloadTooLarge' });
    expect(rejection(JSON.stringify(MINIMAL), 16)).toMatchObject({ status: 413, code: 'PayloadTooLarge' });
    expect(parseDispatchRequest(JSON.stringify(MINIMAL), 100).ok).toBe(true);
  });
});

describe('errorResponse', () => {
  test('is an API Gateway JSON response carrying code, message and field', () => {
    const response = errorResponse({ status: 400, code: 'InvalidField', field: 'repository.url', message: 'repository.url must be an https URL' });
    expect(response).toEqual({ statusCode: 400, headers: expect.objectContaining({ 'content-type': 'application/json' }), body: expect.any(String) });
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'InvalidField', message: 'repository.url must be an https URL', field: 'repository.url' } });
  });

  test('leaves out the field when no one field is at fault', () => {
    const response = errorResponse({ status: 413, code: 'PayloadTooLarge', message: 'too big' });
    expect(response.statusCode).toBe(413);
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'PayloadTooLarge', message: 'too big' } });
  });
});
