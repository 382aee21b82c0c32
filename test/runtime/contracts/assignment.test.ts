import { AssignmentSchema, createAssignmentSchema, describeProblem } from '../../../runtime/contracts/assignment';
import { isValidBranchName } from '../../../runtime/contracts/ref-name';

const DISPATCH_ID = '01JQ8Z6V3N4R5T7W9Y1B3D5F7H';

function valid(): Record<string, any> {
  return {
    dispatchId: DISPATCH_ID,
    agent: 'claude',
    model: 'claude-sonnet-4-5',
    prompt: 'Fix the flaky test',
    repository: { url: 'https://github.com/acme/widgets.git', baseBranch: 'develop', credential: { token: 'ghs_abc' } },
    workspace: { kind: 'ephemeral' },
    timeoutSeconds: 3600,
    upload: {
      url: 'https://outpost-artifacts.s3.us-east-1.amazonaws.com/',
      fields: { 'key': `artifacts/${DISPATCH_ID}/\${filename}`, 'Policy': 'eyJ9', 'X-Amz-Signature': 'abc' },
      keyPrefix: `artifacts/${DISPATCH_ID}/`,
    },
  };
}

/** The field the schema names when it refuses a document changed by `change`. */
function refusedField(change: (document: Record<string, any>) => void, schema = AssignmentSchema): string | null {
  const document = valid();
  change(document);
  const parsed = schema.safeParse(document);
  if (parsed.success) {
    throw new Error('the schema accepted it');
  }
  return describeProblem(parsed.error).field;
}

describe('assignment schema', () => {
  test('accepts a complete assignment and fills the defaults', () => {
    const document = valid();
    delete document.repository.baseBranch;
    delete document.repository.credential.username;
    const assignment = AssignmentSchema.parse(document);
    expect(assignment.repository).toEqual({ url: 'https://github.com/acme/widgets.git', baseBranch: 'main', credential: { username: 'x-access-token', token: 'ghs_abc' } });
  });

  test('accepts the minimal forms: no repository, a persistent workspace, an SSH repository, an upload key prefix', () => {
    expect(AssignmentSchema.safeParse({ ...valid(), repository: undefined }).success).toBe(true);
    expect(AssignmentSchema.safeParse({ ...valid(), workspace: { kind: 'persistent', name: 'team-a_cache.v2' } }).success).toBe(true);
    expect(AssignmentSchema.safeParse({ ...valid(), repository: { url: 'git@github.com:acme/widgets.git' } }).success).toBe(true);
    const prefixOnly = valid();
    prefixOnly.upload.fields.key = `artifacts/${DISPATCH_ID}/`;
    expect(AssignmentSchema.safeParse(prefixOnly).success).toBe(true);
  });

  test.each([
    ['dispatchId', (d: any) => { d.dispatchId = '01jq8z6v3n4r5t7w9y1b3d5f7h'; }],
    ['dispatchId', (d: any) => { d.dispatchId = '81JQ8Z6V3N4R5T7W9Y1B3D5F7H'; }],
    ['dispatchId', (d: any) => { d.dispatchId = '01JQ8Z6V3N4R5T7W9Y1B3D5F7'; }],
    ['agent', (d: any) => { d.agent = 'copilot'; }],
    ['model', (d: any) => { d.model = '--yolo'; }],
    ['model', (d: any) => { d.model = ''; }],
    ['prompt', (d: any) => { d.prompt = ''; }],
    ['prompt', (d: any) => { d.prompt = 'x'.repeat(100_001); }],
    ['repository.url', (d: any) => { d.repository.url = 'http://github.com/acme/widgets.git'; }],
    ['repository.url', (d: any) => { d.repository.url = 'https://x-access-token:ghs_abc@github.com/acme/widgets.git'; }],
    ['repository.url', (d: any) => { d.repository.url = 'file:///srv/repo.git'; }],
    ['repository.url', (d: any) => { d.repository.url = '--upload-pack=touch /tmp/pwned'; }],
    ['repository.url', (d: any) => { d.repository.url = 'ext::sh -c touch% /tmp/pwned'; }],
    ['repository.baseBranch', (d: any) => { d.repository.baseBranch = '-b'; }],
    ['repository.baseBranch', (d: any) => { d.repository.baseBranch = 'feature..x'; }],
    ['repository.credential.token', (d: any) => { d.repository.credential.token = 'abc\nprotocol=https'; }],
    ['workspace.kind', (d: any) => { d.workspace = { kind: 'shared' }; }],
    ['workspace.name', (d: any) => { d.workspace = { kind: 'persistent', name: '../etc' }; }],
    ['workspace.name', (d: any) => { d.workspace = { kind: 'persistent', name: 'a/b' }; }],
    ['workspace.name', (d: any) => { d.workspace = { kind: 'persistent', name: 'a..b' }; }],
    ['workspace.name', (d: any) => { d.workspace = { kind: 'persistent' }; }],
    ['timeoutSeconds', (d: any) => { d.timeoutSeconds = 59; }],
    ['timeoutSeconds', (d: any) => { d.timeoutSeconds = 86_401; }],
    ['timeoutSeconds', (d: any) => { d.timeoutSeconds = 90.5; }],
    ['upload.url', (d: any) => { d.upload.url = 'ftp://example.com/'; }],
    ['upload.fields.Policy', (d: any) => { d.upload.fields.Policy = 42; }],
    ['upload.fields.key', (d: any) => { d.upload.fields.key = 'artifacts/01ARZ3NDEKTSV4RRFFQ69G5FAV/${filename}'; }],
    ['upload.keyPrefix', (d: any) => { d.upload.keyPrefix = 'artifacts/'; }],
  ])('names %s in the error', (field, change) => {
    expect(refusedField(change)).toBe(field);
  });

  test('names a missing required field', () => {
    expect(refusedField((d) => { delete d.prompt; })).toBe('prompt');
    expect(refusedField((d) => { delete d.upload; })).toBe('upload');
  });

  test('refuses unknown fields, naming them, at every level', () => {
    expect(refusedField((d) => { d.priority = 'high'; })).toBe('priority');
    expect(refusedField((d) => { d.repository.depth = 1; })).toBe('repository.depth');
    expect(refusedField((d) => { d.workspace.path = '/etc'; })).toBe('workspace.path');
  });

  test('accepts a budget with the rates to price it at, and names a bad figure', () => {
    const budget = { maxCostUsd: 2.5, rates: { 'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 } }, fallbackRates: { input: 3, output: 15, cachedInput: 0.3 } };
    expect(AssignmentSchema.parse({ ...valid(), budget }).budget).toEqual(budget);
    expect(refusedField((document) => { document.budget = { ...budget, maxCostUsd: 0 }; })).toBe('budget.maxCostUsd');
    expect(refusedField((document) => { document.budget = { ...budget, fallbackRates: { input: -1, output: 1, cachedInput: 1 } }; })).toBe('budget.fallbackRates.input');
    expect(refusedField((document) => { document.budget = { ...budget, rates: { x: { input: 1, output: 1 } } }; })).toBe('budget.rates.x.cachedInput');
  });

  test('refuses an assignment for another agent than the image runs', () => {
    const forCodex = createAssignmentSchema({ agent: 'codex' });
    expect(refusedField(() => undefined, forCodex)).toBe('agent');
    expect(forCodex.safeParse({ ...valid(), agent: 'codex' }).success).toBe(true);
  });

  test('accepts file:// repositories only when allowed (tests)', () => {
    const document = { ...valid(), repository: { url: 'file:///tmp/remote.git' } };
    expect(AssignmentSchema.safeParse(document).success).toBe(false);
    expect(createAssignmentSchema({ allowFileRepositories: true }).safeParse(document).success).toBe(true);
  });

  test('the message says what is wrong', () => {
    const parsed = AssignmentSchema.safeParse({ ...valid(), upload: { ...valid().upload, keyPrefix: 'x/' } });
    expect(parsed.success || describeProblem(parsed.error)).toEqual({ field: 'upload.keyPrefix', message: `must be artifacts/${DISPATCH_ID}/` });
  });
});

describe('branch names', () => {
  test.each(['main', 'release/2.x', 'feature/JIRA-12_fix', 'v1.0'])('accepts %s', (name) => {
    expect(isValidBranchName(name)).toBe(true);
  });
  test.each(['', '-main', '@', 'a..b', 'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[', 'a\\b', 'a@{1}', 'a.', 'a/', '/a', 'a//b', '.hidden', 'a/.b', 'x.lock', 'a\u0007'])('refuses %j', (name) => {
    expect(isValidBranchName(name)).toBe(false);
  });
});
