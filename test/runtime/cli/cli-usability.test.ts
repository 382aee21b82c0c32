import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
// eslint-disable-next-line import/no-unresolved -- the SDK's `./*` export; jest and tsc resolve it
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
// eslint-disable-next-line import/no-unresolved -- as above
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { outpost, OUTPOST_BIN } from './outpost-bin';
import { run } from '../../integ/support';

const ID = '01JD3V4N6Q8W2X5Y7Z9A1B3C4D';

/**
 * The command line as a new user meets it, the built bin run as a child process: what it says when the API does
 * not answer, when credentials, the Region or the endpoint are missing, its help, exit codes, config profiles,
 * completion scripts and `outpost mcp` without an endpoint. Nothing here needs moto.
 */
describe('outpost for a new user: timeouts, errors that say what to do, config profiles, completion', () => {
  let dir: string;
  /** Accepts connections and never answers, as a wrong port behind a load balancer or a stuck proxy does. */
  let silent: net.Server;
  let silentUrl: string;
  /** Answers `GET /dispatch/{id}` with a dispatch, recording each request's path and signing Region. */
  let answering: http.Server;
  let answeringUrl: string;
  const requests: Array<{ path: string; region: string }> = [];

  /** A user's environment: keys, no AWS config files, no instance metadata, and a config file of `dir`. */
  const userEnv = (overrides: Record<string, string> = {}): Record<string, string> => ({
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'eu-west-1',
    AWS_CONFIG_FILE: path.join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    OUTPOST_CONFIG: path.join(dir, 'no-config.json'),
    ...overrides,
  });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-usability-'));
    const sockets = new Set<net.Socket>();
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    silent.on('close', () => sockets.forEach((socket) => socket.destroy()));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`;
    answering = http.createServer((request, response) => {
      const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization))?.[1] ?? '';
      requests.push({ path: request.url ?? '', region });
      const now = new Date().toISOString();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: ID, status: 'RUNNING', agent: 'claude', promptPreview: 'x', createdAt: now, updatedAt: now }));
    });
    await new Promise<void>((resolve) => answering.listen(0, '127.0.0.1', resolve));
    answeringUrl = `http://127.0.0.1:${(answering.address() as net.AddressInfo).port}/`;
  });
  afterAll(async () => {
    silent?.close();
    answering?.closeAllConnections();
    await new Promise((resolve) => answering?.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    requests.length = 0;
  });

  function writeConfig(name: string, config: unknown): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
    return file;
  }

  describe('an API that accepts the connection and never answers', () => {
    test('--timeout-seconds bounds the call, retries included; a progress line says what it waits for; exit 1 says what to check', async () => {
      const started = Date.now();
      const result = await outpost(['status', ID, '--timeout-seconds', '7'], userEnv({ OUTPOST_ENDPOINT: silentUrl }));
      const seconds = (Date.now() - started) / 1000;
      expect(result.code).toBe(1);
      expect(seconds).toBeGreaterThanOrEqual(7);
      // Five attempts of 30 s and the waits between them took 151 s before; now the bound is the whole call's.
      expect(seconds).toBeLessThan(16);
      // Not a terminal: one line, after 5 s without an answer (a spinner, after 1.5 s, on a terminal).
      expect(result.stderr).toContain(`outpost: waiting for ${silentUrl.replace(/\/$/, '')} (`);
      expect(result.stderr).toMatch(/\(\d s of at most 7 s; --timeout-seconds N to change\)…/);
      expect(result.stderr.match(/waiting for/g)).toHaveLength(1);
      expect(result.stderr).toMatch(/no answer from http:\/\/127\.0\.0\.1:\d+: .*timeout/i);
      expect(result.stderr).toContain('is the endpoint right, and does it answer from here? --timeout-seconds N waits longer');
    });

    test('on a terminal (a pseudo-terminal of util-linux script) a spinner counts the seconds, and is cleared before the error', async () => {
      const command = [process.execPath, OUTPOST_BIN, 'status', ID, '--timeout-seconds', '4'].map((word) => `'${word}'`).join(' ');
      const { status, stdout } = await run('script', ['-qfec', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '', SHELL: '/bin/sh', ...userEnv({ OUTPOST_ENDPOINT: silentUrl }) }, timeoutMs: 30_000, allowFailure: true });
      expect(stdout).toMatch(/\r\x1b\[2K\S waiting for http:\/\/127\.0\.0\.1:\d+ \(2 s of at most 4 s; --timeout-seconds N to change\)…/);
      const last = stdout.lastIndexOf(' waiting for ');
      const cleared = stdout.indexOf('\r\x1b[2K', last);
      expect(cleared).toBeGreaterThan(last);
      expect(stdout.indexOf('outpost: no answer from')).toBeGreaterThan(cleared);
      expect(status).toBe(1);
    });

    test('the config profile\'s timeoutSeconds applies when the option is not given', async () => {
      const config = writeConfig('timeout.json', { profiles: { default: { endpoint: silentUrl, timeoutSeconds: 2 } } });
      const started = Date.now();
      const result = await outpost(['status', ID], userEnv({ OUTPOST_CONFIG: config }));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/no answer from http:\/\/127\.0\.0\.1:\d+: .*timeout/i);
      // Not the default 30 s.
      expect((Date.now() - started) / 1000).toBeLessThan(10);
    });

    test('the default bound is 30 seconds, as --help says', async () => {
      expect((await outpost(['--help'], {})).stdout).toMatch(/--timeout-seconds <n> +give up on an API call after this long,\s+retries\s+included \(default: the config profile's, else 30\)/);
    });
  });

  describe('errors that say what to do', () => {
    test('--profile nosuch names the profile and how to configure it, and exits 1', async () => {
      const env = userEnv({ OUTPOST_ENDPOINT: answeringUrl });
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      const result = await outpost(['--profile', 'nosuch', 'status', ID], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no AWS credentials for the AWS profile "nosuch"');
      expect(result.stderr).toContain('aws configure --profile nosuch');
      expect(result.stderr).toContain('aws sso login --profile nosuch');
      const noProfile = await outpost(['status', ID], env);
      expect(noProfile.stderr).toContain('no AWS credentials to sign with');
      expect(noProfile.stderr).toContain('--profile NAME');
      expect(requests).toEqual([]);
    });

    test('no Region names --region and AWS_REGION (not the library\'s option), and is a usage error', async () => {
      const env = userEnv({ OUTPOST_ENDPOINT: answeringUrl });
      delete env.AWS_REGION;
      const result = await outpost(['status', ID], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('no Region to sign requests for');
      expect(result.stderr).toContain('pass --region REGION, set AWS_REGION');
      expect(result.stderr).not.toContain('`region`');
      // With --region it goes through, signed for that Region.
      expect(await outpost(['--region', 'eu-north-1', 'status', ID, '--json'], env)).toMatchObject({ code: 0 });
      expect(requests).toEqual([{ path: `/dispatch/${ID}`, region: 'eu-north-1' }]);
    });

    test('an AWS profile\'s region in ~/.aws/config counts, as it does for the AWS CLI', async () => {
      const awsConfig = writeConfig('aws-config', '[profile dev]\nregion = ap-south-1\n');
      const awsCredentials = writeConfig('aws-credentials', '[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
      const env = userEnv({ OUTPOST_ENDPOINT: answeringUrl, AWS_CONFIG_FILE: awsConfig, AWS_SHARED_CREDENTIALS_FILE: awsCredentials });
      delete env.AWS_REGION;
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      expect(await outpost(['--profile', 'dev', 'status', ID, '--json'], env)).toMatchObject({ code: 0 });
      expect(requests).toEqual([{ path: `/dispatch/${ID}`, region: 'ap-south-1' }]);
    });

    test('--stack without a Region says to pass --region, and is a usage error', async () => {
      const env = userEnv();
      delete env.AWS_REGION;
      const result = await outpost(['--stack', 'Foo', 'status', ID], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--stack Foo: no Region to find the stack in: pass --region REGION');
    });

    test('an endpoint that is not a URL is a usage error (2) naming where it came from', async () => {
      expect(await outpost(['--endpoint', 'not-a-url', 'status', ID], userEnv())).toMatchObject({
        code: 2, stderr: expect.stringContaining('--endpoint "not-a-url" is not an http(s) URL'),
      });
      expect(await outpost(['status', ID], userEnv({ OUTPOST_ENDPOINT: 'ftp://example.com/' }))).toMatchObject({
        code: 2, stderr: expect.stringContaining('OUTPOST_ENDPOINT "ftp://example.com/" is not an http(s) URL'),
      });
    });
  });

  test('a subcommand\'s --help lists the global options', async () => {
    for (const command of ['status', 'dispatch', 'logs']) {
      const { code, stdout } = await outpost([command, '--help'], {});
      expect(code).toBe(0);
      const globals = stdout.slice(stdout.indexOf('Global Options:'));
      for (const option of ['--json', '--endpoint <url>', '--stack <name>', '--profile <name>', '--region <region>', '--config-profile <name>', '--timeout-seconds <n>']) {
        expect({ command, option, listed: globals.includes(option) }).toEqual({ command, option, listed: true });
      }
    }
  });

  describe('config profiles', () => {
    test('the default profile, or the one --config-profile or OUTPOST_PROFILE names, gives endpoint and region; the command line wins', async () => {
      const config = writeConfig('config.json', {
        profiles: {
          default: { endpoint: answeringUrl, region: 'eu-west-3' },
          dev: { endpoint: answeringUrl, region: 'ap-southeast-2' },
          stuck: { endpoint: silentUrl, region: 'eu-west-1' },
        },
      });
      const env = userEnv({ OUTPOST_CONFIG: config });
      delete env.AWS_REGION;
      expect(await outpost(['status', ID, '--json'], env)).toMatchObject({ code: 0, stdout: expect.stringContaining(ID) });
      expect(await outpost(['--config-profile', 'dev', 'status', ID, '--json'], env)).toMatchObject({ code: 0 });
      expect(await outpost(['status', ID, '--json'], { ...env, OUTPOST_PROFILE: 'dev' })).toMatchObject({ code: 0 });
      expect(await outpost(['--config-profile', 'dev', '--region', 'us-east-2', 'status', ID, '--json'], env)).toMatchObject({ code: 0 });
      expect(requests.map((request) => request.region)).toEqual(['eu-west-3', 'ap-southeast-2', 'ap-southeast-2', 'us-east-2']);
      // --endpoint wins over the profile's: the silent server is never asked.
      expect(await outpost(['--endpoint', answeringUrl, 'status', ID, '--json', '--timeout-seconds', '5'], { ...env, OUTPOST_PROFILE: 'stuck' })).toMatchObject({ code: 0 });
    });

    test('a profile that is not there, or a file with a wrong field, is a usage error naming it', async () => {
      const config = writeConfig('named.json', { profiles: { default: { endpoint: answeringUrl } } });
      expect(await outpost(['--config-profile', 'prod', 'status', ID], userEnv({ OUTPOST_CONFIG: config }))).toMatchObject({
        code: 2, stderr: expect.stringContaining(`config profile prod is not in ${config} (it has: default)`),
      });
      const wrong = writeConfig('wrong.json', { profiles: { default: { endpoint: answeringUrl, timeoutSeconds: 'long' } } });
      expect(await outpost(['status', ID], userEnv({ OUTPOST_CONFIG: wrong }))).toMatchObject({
        code: 2, stderr: expect.stringContaining(`${wrong}: profiles.default.timeoutSeconds:`),
      });
      const notJson = writeConfig('not.json', '{ endpoint = x');
      expect(await outpost(['status', ID], userEnv({ OUTPOST_CONFIG: notJson }))).toMatchObject({ code: 2, stderr: expect.stringContaining(`${notJson} is not JSON`) });
    });

    test('without a config file or endpoint, the error lists every way to give one', async () => {
      expect(await outpost(['status', ID], userEnv())).toMatchObject({
        code: 2, stderr: expect.stringContaining('no API endpoint: pass --endpoint URL, set OUTPOST_ENDPOINT, name the platform stack with --stack NAME, or put "endpoint" in a config profile'),
      });
    });
  });

  describe('outpost completion', () => {
    test('bash: sourced into bash, it completes commands, options of the command given, option values and global options', async () => {
      const script = await outpost(['completion', 'bash'], {});
      expect(script.code).toBe(0);
      const file = writeConfig('outpost.bash', script.stdout);
      const complete = async (...words: string[]) => {
        const probe = `source ${file}; COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _outpost_completion; printf '%s\\n' "\${COMPREPLY[@]}"`;
        return (await run('bash', ['--norc', '--noprofile', '-c', probe], { timeoutMs: 10_000 })).stdout.trim().split('\n').filter(Boolean).sort();
      };
      expect(await complete('outpost', 'di')).toEqual(['dispatch']);
      expect(await complete('outpost', 'c')).toEqual(['cancel', 'completion', 'cost']);
      expect(await complete('outpost', '--endpoint', 'https://x/', 'dispatch', '--ag')).toEqual(['--agent']);
      expect(await complete('outpost', 'dispatch', '--agent', 'c')).toEqual(['claude', 'codex']);
      expect(await complete('outpost', 'logs', ID, '--f')).toEqual(['--follow']);
      expect(await complete('outpost', 'status', '--js')).toEqual(['--json']);
      expect(await complete('outpost', 'workspaces', 'r')).toEqual(['rm']);
      expect(await complete('outpost', 'completion', 'f')).toEqual(['fish']);
      expect(await complete('outpost', 'cost', '--group-by', '')).toEqual(['agent', 'day', 'requester']);
    });

    test('zsh and fish: every command and its options; (neither shell is installed here, so their scripts are read, not run)', async () => {
      const zsh = (await outpost(['completion', 'zsh'], {})).stdout;
      expect(zsh.split('\n')[0]).toBe('#compdef outpost');
      // zsh's bashcompinit runs the same function as bash's, tested above.
      expect(zsh).toContain('autoload -U +X bashcompinit && bashcompinit');
      expect(zsh).toContain('complete -o default -F _outpost_completion outpost');
      const fish = (await outpost(['completion', 'fish'], {})).stdout;
      for (const command of ['dispatch', 'status', 'list', 'logs', 'cancel', 'artifacts', 'workspaces', 'fleet', 'cost', 'simulate', 'mcp', 'completion']) {
        expect(fish).toContain(`complete -c outpost -n '__fish_use_subcommand' -a ${command} -d '`);
      }
      expect(fish).toContain('complete -c outpost -n \'__fish_seen_subcommand_from dispatch\' -l agent -r -a \'claude codex gemini aider grok\'');
      expect(fish).toContain('complete -c outpost -n \'__fish_seen_subcommand_from simulate\' -l trace -r -F');
      expect(fish).toContain('complete -c outpost -l timeout-seconds -r');
      expect(await outpost(['completion', 'tcsh'], {})).toMatchObject({ code: 2, stderr: expect.stringContaining('Allowed choices are bash, zsh, fish') });
    });
  });

  describe('outpost mcp without an endpoint, through the MCP SDK\'s client over stdio', () => {
    let client: Client;
    let serverLog = '';

    beforeAll(async () => {
      client = new Client({ name: 'outpost-test', version: '1.0.0' });
      const transport = new StdioClientTransport({ command: process.execPath, args: [OUTPOST_BIN, 'mcp'], env: userEnv(), stderr: 'pipe' });
      transport.stderr?.on('data', (chunk: Buffer) => { serverLog += chunk.toString('utf8'); });
      await client.connect(transport);
    });
    afterAll(() => client?.close());

    test('starts, lists its tools, and answers each call with a tool error saying how to configure the endpoint', async () => {
      const { tools } = await client.listTools();
      const calls: Record<string, Record<string, unknown>> = {
        dispatch: { agent: 'claude', prompt: 'fix the test' },
        get_status: { id: ID },
        get_logs: { id: ID },
        cancel: { id: ID },
        list_dispatches: {},
        get_artifacts: { id: ID },
        fleet_status: {},
      };
      expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(calls).sort());
      for (const [name, args] of Object.entries(calls)) {
        const result = await client.callTool({ name, arguments: args });
        const text = (result.content as Array<{ type: string; text: string }>)[0].text;
        expect({ name, isError: result.isError }).toEqual({ name, isError: true });
        expect(text).toContain('The Outpost MCP server is not configured: no API endpoint');
        expect(text).toContain('set OUTPOST_ENDPOINT in the server\'s environment');
        expect(text).toContain('--endpoint URL');
      }
      expect(serverLog).toContain('outpost mcp: The Outpost MCP server is not configured: no API endpoint');
    });
  });
});
