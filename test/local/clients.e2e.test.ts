import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// eslint-disable-next-line import/no-unresolved -- the SDK's `./*` export; jest and tsc resolve it
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
// eslint-disable-next-line import/no-unresolved -- as above
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { OutpostClient } from '../../runtime/client';
import type { DispatchView } from '../../runtime/client';
import { commandLineOf as commandLine, descendantsOf as descendants, hasExited } from '../../runtime/local/process-tree';
import { childEnv, requireArtifact, run, type RunResult } from '../integ/support';
import { startOutpost, type RunningOutpost } from '../runtime/cli/outpost-bin';

/**
 * The user's clients against Outpost Local, as docs/local.md's "Using it" says to use them: `outpost local serve`
 * (the bundled CLI, a child process) keeps the platform up; `eval "$(outpost local env)"` in a shell points the
 * shipped CLI at it, the typed client and the MCP server take the same environment, and each runs a task to
 * COMPLETED with the agent's commit on the local git server — Claude Code and Codex CLI, each its real CLI
 * against its stand-in model. Needs root for the sandbox (CI runs as root) and the bundles
 * (`npx projen bundle:runtime`, `npx projen bundle:cli`).
 */
const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'typescript', 'local');
const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
/** What the stand-in models make every agent write (runtime/local/outpost-local.ts's default edit). */
const AGENT_FILE = { name: 'OUTPOST_LOCAL.md', content: '# Written by an agent on Outpost Local\n' };
/** Provider keys make Outpost Local refuse (it has no route to real providers yet): the children never get one. */
const PROVIDER_KEYS = /^(ANTHROPIC_API_KEY|OPENAI_API_KEY|GEMINI_API_KEY|GOOGLE_API_KEY|XAI_API_KEY)$/;

let scratch: string;
let assembly: string;
/** A shell's environment: no AWS or Outpost settings of this process, `outpost` on PATH, its own state dir. */
let shellEnv: Record<string, string>;
let serve: RunningOutpost;
let endpoint: string;

function userEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(childEnv())) {
    if (value !== undefined && !/^(AWS_|OUTPOST_)/.test(key) && !PROVIDER_KEYS.test(key) && key !== 'NODE_EXTRA_CA_CERTS') {
      env[key] = value;
    }
  }
  return { ...env, ...overrides };
}

/** `bash -c script` as a user's shell runs it, `outpost` being the bundled bin. */
function shell(script: string, env = shellEnv, timeoutMs = 300_000): Promise<RunResult> {
  return run('bash', ['-c', script], { env, timeoutMs, allowFailure: true });
}

/** The same, after `eval "$(outpost local env)"`: the documented way in. */
function localShell(script: string, timeoutMs?: number): Promise<RunResult> {
  return shell(`set -e\neval "$(outpost local env)"\n${script}`, shellEnv, timeoutMs);
}

/** What `outpost local env` exports, as the shell sees it after the eval. */
async function localEnvironment(): Promise<Record<string, string>> {
  const printed = await localShell('env -0');
  expect(printed.status).toBe(0);
  return Object.fromEntries(printed.stdout.split('\0').filter((line) => line.includes('=')).map((line) => {
    const at = line.indexOf('=');
    return [line.slice(0, at), line.slice(at + 1)];
  }));
}

/** The file the agent committed on `outpost/<id>` of the serve's repository, read with git from its folder. */
async function committedFile(id: string): Promise<string> {
  const { OUTPOST_LOCAL_GIT_DIR: gitDir } = await localEnvironment();
  return execFileSync('git', ['--git-dir', gitDir, 'show', `outpost/${id}:${AGENT_FILE.name}`], { encoding: 'utf8' });
}

beforeAll(async () => {
  requireArtifact(path.join(ROOT, 'cli', 'outpost.js'), 'bundle:cli');
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-local-clients-'));
  assembly = path.join(scratch, 'assembly');
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', assembly], { cwd: EXAMPLE, stdio: 'pipe' });
  const bin = path.join(scratch, 'bin');
  fs.mkdirSync(bin);
  fs.symlinkSync(path.join(ROOT, 'cli', 'outpost.js'), path.join(bin, 'outpost'));
  shellEnv = userEnv({ PATH: `${bin}:${process.env.PATH}`, XDG_STATE_HOME: path.join(scratch, 'state'), NO_COLOR: '1' });
  serve = startOutpost(['local', 'serve', '--assembly', assembly, '--stack', 'OutpostLocal'], shellEnv, undefined, { detached: true });
  endpoint = (await serve.waitForOutput(/^Outpost Local is serving (\S+) /m))[1];
  await serve.waitForOutput(/^Ctrl-C stops it\.$/m);
}, 900_000);

/** A serve a failed test left running: SIGTERM (its own clean stop), SIGKILL only if that hangs. */
async function stopLeftover(running: RunningOutpost | undefined): Promise<void> {
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGTERM');
    const killer = setTimeout(() => running.child.kill('SIGKILL'), 120_000);
    await running.finished;
    clearTimeout(killer);
  }
}

afterAll(async () => {
  await stopLeftover(serve);
  if (scratch) {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}, 180_000);

describe('outpost local serve, and outpost local env', () => {
  test('serve prints its endpoint, the repository to dispatch to and how to get the environment', () => {
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(serve.stdout()).toMatch(/^repository: https:\/\/git\.outpost\.test\/demo\/hello\.git /m);
    expect(serve.stdout()).toContain('eval "$(outpost local env)"');
  });

  test('env prints export lines for the running serve: its endpoint and the developer\'s temporary credentials, which a shell evals', async () => {
    const printed = await shell('outpost local env');
    expect(printed).toMatchObject({ status: 0 });
    expect(printed.stdout).toMatch(/^export OUTPOST_ENDPOINT='http:\/\/127\.0\.0\.1:\d+\/'$/m);
    const env = await localEnvironment();
    expect(env).toMatchObject({
      OUTPOST_ENDPOINT: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: expect.stringMatching(/^ASIA/),
      OUTPOST_LOCAL_REPOSITORY: 'https://git.outpost.test/demo/hello.git',
    });
    expect(env.AWS_SECRET_ACCESS_KEY).not.toBe('');
    expect(env.AWS_SESSION_TOKEN).not.toBe('');
    expect(fs.readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8')).toContain('BEGIN CERTIFICATE');
    // The state file holds credentials: the user's alone.
    expect((fs.statSync(path.join(shellEnv.XDG_STATE_HOME, 'outpost-cdk', 'local-serve.json')).mode % 0o1000).toString(8)).toBe('600');
  });

  test('a second serve is refused at once while one is serving, naming it', async () => {
    const second = await shell(`outpost local serve --assembly '${assembly}'`, shellEnv, 60_000);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`an Outpost Local is already serving ${endpoint} (pid ${serve.child.pid}`);
  });

  test('env without a serve says to start one; a serve that died leaves a stale file that env reports and removes', async () => {
    const elsewhere = { ...shellEnv, XDG_STATE_HOME: path.join(scratch, 'other-state') };
    const none = await shell('outpost local env', elsewhere);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no Outpost Local is serving \(.*local-serve\.json is missing\): start one with `outpost local serve`/);

    const dead = spawn('true');
    await new Promise((resolve) => dead.once('close', resolve));
    const file = path.join(elsewhere.XDG_STATE_HOME, 'outpost-cdk', 'local-serve.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ pid: dead.pid, startedAt: new Date().toISOString(), endpoint: 'http://127.0.0.1:9/', environment: { OUTPOST_ENDPOINT: 'http://127.0.0.1:9/' } }));
    const stale = await shell('eval "$(outpost local env)"; echo "endpoint=${OUTPOST_ENDPOINT:-none}"', elsewhere);
    expect(stale.stderr).toContain(`the Outpost Local that served http://127.0.0.1:9/ (pid ${dead.pid}) is gone`);
    expect(stale.stderr).toContain('start one with `outpost local serve`');
    expect(stale.stdout).toBe('endpoint=none\n');
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('the shipped clients, unchanged, against Outpost Local', () => {
  test('the CLI dispatches to claude, follows its logs, lists it, shows its status and result, and the agent\'s commit is on outpost/<id>', async () => {
    const dispatched = await localShell('outpost dispatch --agent claude --repo "$OUTPOST_LOCAL_REPOSITORY" "Add OUTPOST_LOCAL.md that says hello"');
    expect(dispatched).toMatchObject({ status: 0, stdout: expect.stringMatching(/^[0-9A-Z]{26}\n$/) });
    const id = dispatched.stdout.trim();

    const followed = await localShell(`outpost logs --follow ${id}`);
    expect(followed.stderr).toContain(`${id} COMPLETED`);
    expect(followed.status).toBe(0);
    expect(followed.stdout).toContain('dispatch succeeded');

    const listed = await localShell('outpost list');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(id);

    const status = await localShell(`outpost status ${id}`);
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^status +COMPLETED$/m);

    // The files' links are the local S3's, behind the CA that env's NODE_EXTRA_CA_CERTS names.
    const downloads = path.join(scratch, `artifacts-${id}`);
    const artifacts = await localShell(`outpost --json artifacts --download '${downloads}' ${id}`);
    expect(artifacts.status).toBe(0);
    const answer = JSON.parse(artifacts.stdout);
    expect(answer).toMatchObject({ status: 'COMPLETED', result: { status: 'succeeded', branch: `outpost/${id}` } });
    expect(answer.downloaded.length).toBeGreaterThan(0);
    expect(fs.readdirSync(downloads).length).toBe(answer.downloaded.length);

    expect(await committedFile(id)).toBe(AGENT_FILE.content);
    const { OUTPOST_LOCAL_GIT_DIR: gitDir } = await localEnvironment();
    expect(execFileSync('git', ['--git-dir', gitDir, 'rev-parse', `outpost/${id}`], { encoding: 'utf8' }).trim()).toBe(answer.result.commit);
  }, 600_000);

  test('the typed client, in this process, with the environment env gave and its defaults (the SDK\'s credential chain)', async () => {
    const env = await localEnvironment();
    const saved = { ...process.env };
    try {
      for (const name of ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
        process.env[name] = env[name];
      }
      delete process.env.AWS_PROFILE;
      const client = new OutpostClient({ endpoint: env.OUTPOST_ENDPOINT });
      const dispatched = await client.dispatch({ agent: 'claude', prompt: 'Add OUTPOST_LOCAL.md', repository: { url: env.OUTPOST_LOCAL_REPOSITORY } });
      const lines: string[] = [];
      for await (const line of client.followLogs(dispatched.id, { pollIntervalMs: 500 })) {
        lines.push(line.message);
      }
      const done: DispatchView = await client.getDispatch(dispatched.id);
      expect(done).toMatchObject({ status: 'COMPLETED', exitCode: 0 });
      expect(lines.join('\n')).toContain('dispatch succeeded');
      expect((await client.listDispatches()).items.map((item) => item.id)).toContain(dispatched.id);
      expect(await committedFile(dispatched.id)).toBe(AGENT_FILE.content);
    } finally {
      for (const name of Object.keys(process.env).filter((key) => !(key in saved))) {
        delete process.env[name];
      }
      Object.assign(process.env, saved);
    }
  }, 600_000);

  test('the MCP server, started as `outpost mcp` with that environment and spoken to with the MCP SDK\'s client: its dispatch tool runs a task to COMPLETED', async () => {
    const env = await localEnvironment();
    const transport = new StdioClientTransport({ command: 'outpost', args: ['mcp'], env, stderr: 'pipe' });
    const client = new Client({ name: 'outpost-local-clients-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const text = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as Array<{ type: string; text: string }>)[0].text;
      const dispatched = await client.callTool({ name: 'dispatch', arguments: { agent: 'claude', prompt: 'Add OUTPOST_LOCAL.md', repositoryUrl: env.OUTPOST_LOCAL_REPOSITORY } });
      expect(dispatched.isError).toBeFalsy();
      const id = JSON.parse(text(dispatched)).id as string;
      const deadline = Date.now() + 300_000;
      let view: DispatchView;
      for (;;) {
        const status = await client.callTool({ name: 'get_status', arguments: { id } });
        expect(status.isError).toBeFalsy();
        view = JSON.parse(text(status));
        if (FINAL.includes(view.status) || Date.now() > deadline) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      expect(view.status).toBe('COMPLETED');
      expect(await committedFile(id)).toBe(AGENT_FILE.content);
    } finally {
      await client.close();
    }
  }, 600_000);

  test('a second agent: the CLI dispatches to codex (the real Codex CLI at its image\'s pin, against the OpenAI stand-in) and it commits', async () => {
    const followed = await localShell('outpost dispatch --agent codex --repo "$OUTPOST_LOCAL_REPOSITORY" --follow "Add OUTPOST_LOCAL.md"', 600_000);
    const id = followed.stdout.split('\n')[0];
    expect(followed.stderr).toContain(`${id} COMPLETED`);
    expect(followed.status).toBe(0);
    const status = await localShell(`outpost --json status ${id}`);
    expect(JSON.parse(status.stdout)).toMatchObject({ agent: 'codex', status: 'COMPLETED' });
    expect(await committedFile(id)).toBe(AGENT_FILE.content);
  }, 700_000);
});

describe('stopping serve', () => {
  /**
   * Stops `running` with `signal` sent by `send`: it must exit 0 having stopped every process it started (moto
   * among them), and take its state file along; `clean`: by its clean stop alone, without its last resort.
   */
  async function expectCleanStop(running: RunningOutpost, signal: NodeJS.Signals, send: () => void, clean: boolean): Promise<number[]> {
    const started = descendants(running.child.pid!);
    expect(started.filter((pid) => commandLine(pid).includes('moto.server'))).toHaveLength(1);
    send();
    const finished = await running.finished;
    expect(finished.code).toBe(0);
    expect(finished.stderr).toContain(`${signal}: stopping`);
    const lastResort = finished.stderr.split('\n').filter((line) => /killed|ending anyway/.test(line));
    if (clean) {
      // Its clean stop did it all: nothing left for serve's last resort to kill (each such line names the process).
      expect(lastResort).toEqual([]);
    } else {
      // Whatever the last resort killed, it named.
      lastResort.filter((line) => line.includes('killed')).forEach((line) => expect(line).toMatch(/killed: \d+ \S+/));
    }
    expect(started.filter((child) => !hasExited(child)).map((child) => `${child}: ${commandLine(child)}`)).toEqual([]);
    const after = await shell('outpost local env');
    expect(after.status).toBe(1);
    expect(after.stderr).toContain('no Outpost Local is serving');
    return started;
  }

  test('Ctrl-C (SIGINT to the terminal\'s whole process group) stops moto and every process serve started, removes the state file, and exits 0', async () => {
    // moto and the sandboxes get the SIGINT too and go first, so OutpostLocal.stop() can fail on the way
    // (ECONNREFUSED from moto's port): serve's last resort then kills what is left.
    const started = await expectCleanStop(serve, 'SIGINT', () => process.kill(-serve.child.pid!, 'SIGINT'), false);
    // The runs above left more than moto: the functions' processes, the stand-in models, the warm workers.
    expect(started.length).toBeGreaterThan(3);
  }, 180_000);

  test('SIGTERM (a service manager\'s stop) does the same, for a serve started afresh', async () => {
    const again = startOutpost(['local', 'serve', '--assembly', assembly, '--stack', 'OutpostLocal'], shellEnv);
    try {
      await again.waitForOutput(/^Outpost Local is serving /m);
      expect((await shell('outpost local env')).stdout).toContain('export OUTPOST_ENDPOINT=');
      await expectCleanStop(again, 'SIGTERM', () => again.child.kill('SIGTERM'), true);
    } finally {
      await stopLeftover(again);
    }
  }, 1_000_000);
});
