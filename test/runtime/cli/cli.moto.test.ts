import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
// eslint-disable-next-line import/no-unresolved -- the SDK's `./*` export; jest and tsc resolve it
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
// eslint-disable-next-line import/no-unresolved -- as above
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { outpost, OUTPOST_BIN, startOutpost } from './outpost-bin';
import type { DispatchResult } from '../../../runtime/contracts/dispatch-result';
import { runningTaskEvent, taskEvent } from '../../support/ecs-events';
import { startFakeWorkers, type FakeWorkerFleet } from '../../support/fake-workers';
import { startLocalApi, type LocalApi } from '../../support/local-api';
import { startMotoPlatform, type MotoPlatform } from '../../support/moto-platform';
import { runLogWriter, type RunLogWriter } from '../../support/run-logs';
import { workerDocument, workerResult } from '../artifacts/worker-result';
import { ALICE } from '../dispatch/support/dispatches';

const ID = /^([0-9A-Z]{26})$/m;
/** What a run's worker reports using: Claude Code's main model, and Haiku for its background requests. */
const RUN_USAGE = {
  tokenUsage: { input: 1_212_000, cached: 800_000, cacheWrite: 12_000, output: 9_100 },
  modelUsage: [
    { model: 'claude-sonnet-4-5-20250929', input: 1_200_000, cached: 800_000, cacheWrite: 12_000, output: 9_000 },
    { model: 'claude-haiku-4-5-20251001', input: 12_000, cached: 0, cacheWrite: 0, output: 100 },
  ],
};
const READER = 'arn:aws:sts::123456789012:assumed-role/Readers/carol';

/**
 * The `outpost` bin (cli/outpost.js) run as a user runs it, as a child process, against the real handlers
 * behind the local API Gateway (signatures and grants checked) on the platform's resources in moto; and its
 * MCP server through the SDK's own client over stdio.
 */
describe('the outpost command line against the control plane (local API Gateway, real handlers, moto)', () => {
  let platform: MotoPlatform;
  let api: LocalApi;
  let writeRunLogs: RunLogWriter;
  let scratch: string;
  let workers: FakeWorkerFleet;
  let workersUsed = 0;

  /** The environment a user of grantDispatch has: the endpoint and their access keys. */
  const envOf = (caller = 'alice', overrides: Record<string, string> = {}): Record<string, string> => ({
    ...api.userEnvironment(caller),
    // No config profile of the machine's user applies.
    OUTPOST_CONFIG: path.join(scratch, 'no-config.json'),
    ...overrides,
  });
  const run = (args: string[], env = envOf()) => outpost(args, env);

  beforeAll(async () => {
    workers = await startFakeWorkers(4, 'claude');
    platform = await startMotoPlatform({ workerPort: workers.port });
    api = await startLocalApi({
      callers: { alice: { arn: ALICE, grant: 'grantDispatch' }, carol: { arn: READER, grant: 'grantRead' } },
      environment: platform.apiEnvironment(),
      afterEachRequest: () => platform.deliverColdStarts(),
    });
    await new CloudWatchLogsClient({}).send(new CreateLogGroupCommand({ logGroupName: platform.config.agents.claude.logGroupName }));
    writeRunLogs = runLogWriter(platform);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-cli-'));
  });
  afterAll(async () => {
    await api?.stop();
    await platform?.stop();
    await workers?.close();
    if (scratch) {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
  afterEach(() => expect(api.handlerErrors).toEqual([]));

  /** The run's task turns healthy and its worker (a fake one, each used once) accepts the hand-off: RUNNING. */
  async function startRun(id: string): Promise<string> {
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const { Item } = await documents.send(new GetCommand({ TableName: platform.tables.dispatches, Key: { id } }));
    const taskArn = String(Item!.taskArn);
    const worker = workers.workers[workersUsed++];
    worker.token = await platform.workerToken(taskArn.split('/').pop()!);
    await platform.handler('task-ready')(runningTaskEvent(`outpost/${id}`, { taskArn, privateIp: worker.privateIp }));
    return taskArn;
  }

  /** The run ends as the worker reports it: its result.json uploaded, then its task's STOPPED event. */
  async function finishRun(id: string, agentExitCode: number, reported: Partial<DispatchResult> = {}): Promise<void> {
    const taskArn = await startRun(id);
    const result = {
      ...workerResult(id, { cancelled: false, agent: { exitCode: agentExitCode, timedOut: false }, platformErrors: [] }, {
        commit: agentExitCode === 0 ? 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' : null, branch: agentExitCode === 0 ? `outpost/${id}` : null, ...RUN_USAGE,
      }),
      ...reported,
    };
    await new S3Client({ forcePathStyle: true }).send(new PutObjectCommand({
      Bucket: platform.config.artifactsBucket, Key: `artifacts/${id}/result.json`, Body: workerDocument(result),
    }));
    await platform.handler('task-stopped')(taskEvent({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      containers: [{ name: 'agent', exitCode: agentExitCode }],
      startedBy: `outpost/${id}`,
    }, { taskArn }));
  }

  /** `outpost dispatch --follow` while the run logs two lines and ends with `agentExitCode` (and what else its result reports). */
  async function followedRun(agentExitCode: number, extra: string[] = [], reported: Partial<DispatchResult> = {}) {
    const running = startOutpost(['dispatch', '--agent', 'claude', '--follow', '--poll-interval', '50', ...extra, 'fix the failing test in parser.ts'], envOf());
    const id = extra.includes('--json') ? JSON.parse((await running.waitForOutput(/^\{.*\}$/m))[0]).id : (await running.waitForOutput(ID))[1];
    await writeRunLogs(id, 'cloning org/repo', 'running claude');
    await finishRun(id, agentExitCode, reported);
    return { id, ...(await running.finished) };
  }

  test('dispatch prints the id; status, list, logs and cancel show it, as text and as JSON', async () => {
    const dispatched = await run(['dispatch', '--agent', 'claude', '--repo', 'https://github.com/org/repo.git', '--branch', 'develop', '--model-tier', 'fast', 'update the README']);
    expect(dispatched).toMatchObject({ code: 0, stdout: expect.stringMatching(/^[0-9A-Z]{26}\n$/), stderr: expect.stringContaining('QUEUED claude claude-haiku-4-5, cold start (a worker starts for it: about a minute)') });
    const id = dispatched.stdout.trim();

    const status = await run(['status', id]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^id +${id}$`, 'm'));
    expect(status.stdout).toMatch(/^status +STARTING$/m);
    expect(status.stdout).toMatch(/^model +claude-haiku-4-5 \(fast\)$/m);
    expect(status.stdout).not.toMatch(/\x1b\[/); // no colours when stdout is not a terminal
    expect(JSON.parse((await run(['status', id, '--json'])).stdout)).toMatchObject({ id, status: 'STARTING', agent: 'claude', promptPreview: 'update the README' });

    const list = await run(['list']);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID +STATUS +AGENT +CREATED +EXIT +PROMPT$/);
    expect(list.stdout).toMatch(new RegExp(`^${id} +STARTING +claude +\\S+Z +update the README$`, 'm'));
    expect(JSON.parse((await run(['--json', 'list', '--limit', '1'])).stdout)).toEqual({ items: [expect.objectContaining({ id })], cursor: null });

    await writeRunLogs(id, 'cloning org/repo', 'editing README.md');
    expect(await run(['logs', id])).toMatchObject({ code: 0, stdout: 'cloning org/repo\nediting README.md\n' });
    const jsonLines = (await run(['logs', id, '--json'])).stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(jsonLines).toEqual([{ type: 'log', time: expect.any(String), message: 'cloning org/repo' }, { type: 'log', time: expect.any(String), message: 'editing README.md' }]);

    expect(await run(['cancel', id])).toMatchObject({ code: 0, stdout: `${id} CANCELLED\n` });
    // A cancelled run that is followed ends with exit code 1: it did not complete, and has no exit code of its own.
    expect(await run(['logs', id, '--follow', '--poll-interval', '20'])).toMatchObject({ code: 1, stdout: 'cloning org/repo\nediting README.md\n' });
  });

  test('dispatch --follow streams the logs of a run that completes, and exits 0', async () => {
    const { id, code, stdout, stderr } = await followedRun(0);
    expect(code).toBe(0);
    expect(stdout).toBe(`${id}\ncloning org/repo\nrunning claude\n`);
    expect(stderr).toContain(`${id} COMPLETED (exit code 0)`);
    expect(JSON.parse((await run(['status', id, '--json'])).stdout)).toMatchObject({ status: 'COMPLETED', exitCode: 0, result: { branch: `outpost/${id}`, ...RUN_USAGE } });
    const status = (await run(['status', id])).stdout;
    expect(status).toMatch(/^tokens +claude-sonnet-4-5-20250929: 1,200,000 in \(800,000 cached, 12,000 written to cache\), 9,000 out$/m);
    expect(status).toMatch(/^ +claude-haiku-4-5-20251001: 12,000 in, 100 out$/m);
  });

  test('dispatch --follow on a run that fails exits with the run\'s exit code; --json streams JSON lines, each with its type', async () => {
    const { id, code, stdout } = await followedRun(3, ['--json']);
    expect(code).toBe(3);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ type: 'dispatch', id, status: 'QUEUED' }),
      { type: 'log', time: expect.any(String), message: 'cloning org/repo' },
      { type: 'log', time: expect.any(String), message: 'running claude' },
      expect.objectContaining({ type: 'dispatch', id, status: 'FAILED', exitCode: 3 }),
    ]);
  });

  test('Ctrl-C while following stops following, not the run: it says how to follow again or cancel, and exits 130', async () => {
    const running = startOutpost(['dispatch', '--agent', 'claude', '--follow', '--poll-interval', '50', 'refactor the parser'], envOf());
    const id = (await running.waitForOutput(ID))[1];
    await writeRunLogs(id, 'cloning org/repo');
    await running.waitForOutput(/^cloning org\/repo$/m);
    running.child.kill('SIGINT');
    const { code, stderr } = await running.finished;
    expect(code).toBe(130);
    expect(stderr).toContain(`outpost: stopped following ${id}; the run goes on.`);
    expect(stderr).toContain(`follow it again: outpost logs --follow ${id}`);
    expect(stderr).toContain(`cancel it:       outpost cancel ${id}`);
    expect(JSON.parse((await run(['status', id, '--json'])).stdout).status).not.toBe('CANCELLED');
    expect(await run(['cancel', id])).toMatchObject({ code: 0, stdout: `${id} CANCELLED\n` });
  });

  test('Ctrl-C on a terminal (a pseudo-terminal of util-linux script) clears the waiting spinner before saying so', async () => {
    // script(1) gives the bin a terminal; Ctrl-C typed into it reaches the bin as SIGINT from the terminal driver.
    const command = [process.execPath, OUTPOST_BIN, 'dispatch', '--agent', 'claude', '--follow', '--poll-interval', '50', 'rename the module'].map((word) => `'${word}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '', SHELL: '/bin/sh', ...envOf() }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    child.on('error', (error) => { output += `cannot run script(1) of util-linux, which this test needs for a terminal: ${error.message}`; });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 30_000;
    while (!/waiting for claude's worker/.test(output) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(output).toMatch(/waiting for claude's worker/);
    child.stdin.write('\x03');
    expect(await exited).toBe(130);
    const plain = output.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    const id = /^([0-9A-Z]{26})\r?$/m.exec(plain)![1];
    const tail = output.slice(output.lastIndexOf('waiting for claude\'s worker'));
    // The spinner's line is erased (carriage return, erase line) before the message, and no frame is drawn after.
    const cleared = tail.indexOf('\r\x1b[2K');
    expect(cleared).toBeGreaterThan(-1);
    expect(cleared).toBeLessThan(tail.indexOf(`outpost: stopped following ${id}; the run goes on.`));
    expect(tail.slice(cleared)).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    await run(['cancel', id]);
  });

  test('dispatch --max-cost sets the run\'s budget; status shows it, and a run its budget stopped says so', async () => {
    const { id, code, stderr } = await followedRun(1, ['--max-cost', '2.50'], { error: 'the run reached its budget of 2.5 USD', failureCode: 'BudgetExceeded' });
    expect(code).toBe(1);
    expect(stderr).toContain(', budget $2.50');
    expect(stderr).toContain(`${id} FAILED (exit code 1: BudgetExceeded: the run's models reached its budget of $2.50; the work done so far was pushed)`);
    const status = (await run(['status', id])).stdout;
    expect(status).toMatch(/^budget +\$2\.50$/m);
    expect(status).toMatch(/^reason +BudgetExceeded: the run's models reached its budget of \$2\.50; the work done so far was pushed$/m);
    expect(status).toMatch(/^error +the run reached its budget of 2\.5 USD$/m);
    expect(JSON.parse((await run(['status', id, '--json'])).stdout)).toMatchObject({ status: 'FAILED', statusReason: 'BudgetExceeded', maxCostUsd: 2.5 });
  });

  test('artifacts lists the run\'s files and --download saves them through the presigned links', async () => {
    const id = (await run(['dispatch', '--agent', 'claude', 'write the changelog'])).stdout.trim();
    await new S3Client({ forcePathStyle: true }).send(new PutObjectCommand({
      Bucket: platform.config.artifactsBucket, Key: `artifacts/${id}/transcript.log`, Body: 'the transcript',
    }));
    await finishRun(id, 0);
    const listed = await run(['artifacts', id]);
    expect(listed.stdout).toMatch(/^result\.json +\d+ +http/m);
    expect(listed.stdout).toMatch(/^transcript\.log +14 +http/m);
    expect(listed.stderr).toContain('result: succeeded, exit code 0');

    const dir = path.join(scratch, 'artifacts');
    const downloaded = await run(['artifacts', id, '--download', dir, '--json']);
    expect(JSON.parse(downloaded.stdout)).toMatchObject({ dispatchId: id, status: 'COMPLETED', downloaded: expect.arrayContaining([expect.stringMatching(/transcript\.log$/)]) });
    expect(fs.readFileSync(path.join(dir, 'transcript.log'), 'utf8')).toBe('the transcript');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'))).toMatchObject({ dispatchId: id, status: 'succeeded' });
  });

  test('fleet shows the pool per agent; workspaces says the platform has none', async () => {
    const fleet = await run(['fleet']);
    expect(fleet.stdout).toMatch(/^AGENT +IDLE +STARTING +BUSY +DRAINING +QUEUED +OLDEST QUEUED$/m);
    expect(fleet.stdout).toMatch(/^claude +0 +0 +\d+ +0 +\d+/m);
    expect(Object.keys(JSON.parse((await run(['fleet', '--json'])).stdout).agents)).toEqual(['claude']);
    expect(await run(['workspaces'])).toMatchObject({ code: 1, stderr: expect.stringContaining('PersistentWorkspacesUnavailable') });
  });

  test('usage errors exit 2 without calling the API', async () => {
    const cases = [
      [['dispatch', 'no agent given']],
      [['dispatch', '--agent', 'claude', '--timeout', '5', 'too short a timeout']],
      [['dispatch', '--agent', 'claude', '--max-cost', '0', 'no budget at all']],
      [['dispatch', '--agent', 'claude', '--max-cost', '$5', 'a dollar sign']],
      [['dispatch', '--agent', 'claude', '--branch', 'main', 'a branch without a repository']],
      [['status']],
      [['list', '--limit', '0']],
      [['no-such-command']],
    ];
    for (const [args] of cases) {
      const result = await run(args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(/error: /);
    }
    expect((await run(['dispatch', '--agent', 'claude', '--max-cost', 'lots', 'x'])).stderr)
      .toContain('error: option \'--max-cost <usd>\' argument \'lots\' is invalid. expected an amount in US dollars, more than 0 and at most 100000 (e.g. 2.50), got "lots"');
    expect(await outpost(['status', '01JD3V4N6Q8W2X5Y7Z9A1B3C4D'], envOf('alice', { OUTPOST_ENDPOINT: '' }))).toMatchObject({
      code: 2, stderr: expect.stringContaining('no API endpoint: pass --endpoint URL, set OUTPOST_ENDPOINT, name the platform stack with --stack NAME, or put "endpoint" in a config profile'),
    });
  });

  test('API errors exit 1 and show the code, the message and the field', async () => {
    expect(await run(['dispatch', '--agent', 'claude', '--repo', 'ftp://example.com/repo', 'x'])).toMatchObject({
      code: 1, stdout: '', stderr: expect.stringMatching(/^outpost: InvalidField: .+ \(HTTP 400, field: repository\.url, request id: [0-9a-f]+\)$/m),
    });
    expect(await run(['dispatch', '--agent', 'grok', 'x'])).toMatchObject({ code: 1, stderr: expect.stringContaining('AgentNotDeployed') });
    expect(await run(['status', '01JD3V4N6Q8W2X5Y7Z9A1B3C4D'])).toMatchObject({ code: 1, stderr: expect.stringContaining('NotFound') });
    // grantRead may read but not dispatch: API Gateway's own 403, and the grant the caller lacks for the route.
    const refused = await run(['dispatch', '--agent', 'claude', 'x'], envOf('carol'));
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('Forbidden: Forbidden (HTTP 403') });
    expect(refused.stderr).toContain('the caller may not call POST /dispatch: it needs the platform\'s grantDispatch (platform.controlPlane.grantDispatch(role) in the stack)');
    expect((await run(['cancel', '01JD3V4N6Q8W2X5Y7Z9A1B3C4D'], envOf('carol'))).stderr).toContain('may not call DELETE /dispatch/01JD3V4N6Q8W2X5Y7Z9A1B3C4D: it needs the platform\'s grantDispatch');
    // grantDispatch does not reach the /admin routes.
    const admin = await run(['cost', '--everyone']);
    expect(admin).toMatchObject({ code: 1, stderr: expect.stringContaining('(HTTP 403') });
    expect(admin.stderr).toMatch(/may not call GET \/admin\/ledger\S*: it needs the platform's grantAdmin \(platform\.controlPlane\.grantAdmin\(role\)/);
  });

  test('--stack finds the endpoint in the stack\'s ApiUrl output', async () => {
    await new CloudFormationClient({}).send(new CreateStackCommand({
      StackName: 'OutpostDev',
      TemplateBody: JSON.stringify({
        Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
        Outputs: { OutpostControlPlaneApiApiUrl1A2B3C4D: { Value: api.endpoint } },
      }),
    }));
    // CloudFormation is moto's, found through AWS_ENDPOINT_URL as the SDK finds it.
    const env = envOf('alice', { OUTPOST_ENDPOINT: '', AWS_ENDPOINT_URL: platform.moto.endpoint });
    expect(await outpost(['--stack', 'OutpostDev', 'fleet', '--json'], env)).toMatchObject({ code: 0, stdout: expect.stringContaining('"claude"') });
  });

  describe('outpost mcp, through the MCP SDK\'s client over stdio', () => {
    let client: Client;

    beforeAll(async () => {
      client = new Client({ name: 'outpost-test', version: '1.0.0' });
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [OUTPOST_BIN, 'mcp'], env: envOf(), stderr: 'pipe' }));
    });
    afterAll(() => client?.close());

    test('lists the seven tools, each described, with its input schema', async () => {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['cancel', 'dispatch', 'fleet_status', 'get_artifacts', 'get_logs', 'get_status', 'list_dispatches']);
      for (const tool of tools) {
        expect(tool.description!.length).toBeGreaterThan(80);
        expect(tool.inputSchema.type).toBe('object');
      }
      const dispatch = tools.find((tool) => tool.name === 'dispatch')!;
      expect(dispatch.inputSchema.required?.sort()).toEqual(['agent', 'prompt']);
      expect(dispatch.inputSchema.properties).toMatchObject({
        agent: { enum: ['claude', 'codex', 'gemini', 'aider', 'grok'] },
        timeoutSeconds: { type: 'integer', minimum: 60, maximum: 86400 },
        maxCostUsd: { type: 'number', exclusiveMinimum: 0, maximum: 100000, description: expect.stringContaining('BudgetExceeded') },
        repositoryUrl: { type: 'string' },
      });
      expect(tools.find((tool) => tool.name === 'get_status')!.inputSchema.required).toEqual(['id']);
    });

    test('dispatch starts a run and get_status reads it; an API error comes back as a tool error naming the field', async () => {
      const text = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as Array<{ type: string; text: string }>)[0].text;
      const dispatched = await client.callTool({ name: 'dispatch', arguments: { agent: 'claude', prompt: 'fix the flaky test', repositoryUrl: 'https://github.com/org/repo.git' } });
      expect(dispatched.isError).toBeFalsy();
      const view = JSON.parse(text(dispatched));
      expect(view).toMatchObject({ id: expect.stringMatching(/^[0-9A-Z]{26}$/), status: 'QUEUED', agent: 'claude' });

      const status = await client.callTool({ name: 'get_status', arguments: { id: view.id } });
      expect(JSON.parse(text(status))).toMatchObject({ id: view.id, status: 'STARTING', promptPreview: 'fix the flaky test' });

      const limited = await client.callTool({ name: 'dispatch', arguments: { agent: 'claude', prompt: 'spend little', maxCostUsd: 0.75 } });
      expect(JSON.parse(text(limited))).toMatchObject({ status: 'QUEUED', maxCostUsd: 0.75 });
      const unbudgeted = await client.callTool({ name: 'dispatch', arguments: { agent: 'claude', prompt: 'spend nothing', maxCostUsd: 0 } });
      expect(unbudgeted.isError).toBe(true);
      expect(text(unbudgeted)).toContain('maxCostUsd');

      const refused = await client.callTool({ name: 'dispatch', arguments: { agent: 'claude', prompt: 'x', repositoryUrl: 'ftp://example.com/repo' } });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(/^InvalidField: .+field: repository\.url/);
    });
  });
});
