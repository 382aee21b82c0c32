import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { exportLines, readServeState, removeServeState, serveStateFile, writeServeState, type ServeState } from '../../runtime/local/serve-state';

/** How `outpost local env` finds `outpost local serve`, and each way it tells a user to start one. */
let env: NodeJS.ProcessEnv;
let server: http.Server;
let endpoint: string;

beforeEach(async () => {
  env = { XDG_STATE_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-serve-state-')) };
  server = http.createServer((_request, response) => response.writeHead(403).end('{"message":"Forbidden"}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterEach(async () => {
  // Closed already by the test of an endpoint that does not answer: close's error is expected then.
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(env.XDG_STATE_HOME!, { recursive: true, force: true });
});

function state(overrides: Partial<ServeState> = {}): ServeState {
  return { pid: process.pid, startedAt: '2026-12-07T22:00:00.000Z', endpoint, environment: { OUTPOST_ENDPOINT: endpoint }, ...overrides };
}

async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((resolve) => child.once('close', resolve));
  return child.pid!;
}

describe('the serve state file', () => {
  test('lives under XDG_STATE_HOME, else ~/.local/state, and is the user\'s alone (0600)', () => {
    expect(serveStateFile({ HOME: '/home/dev' })).toBe('/home/dev/.local/state/outpost-cdk/local-serve.json');
    writeServeState(state(), env);
    const file = serveStateFile(env);
    expect(file).toBe(path.join(env.XDG_STATE_HOME!, 'outpost-cdk', 'local-serve.json'));
    expect((fs.statSync(file).mode % 0o1000).toString(8)).toBe('600');
  });

  test('a live serve\'s state is read back; an endpoint that answers 403 to an unsigned probe is up', async () => {
    writeServeState(state(), env);
    await expect(readServeState(env)).resolves.toMatchObject({ pid: process.pid, endpoint });
  });

  test('no file: says to start `outpost local serve`', async () => {
    await expect(readServeState(env)).rejects.toThrow(/no Outpost Local is serving \(.*local-serve\.json is missing\): start one with `outpost local serve`/);
  });

  test('a file whose process is gone is stale: reported with its pid and removed', async () => {
    const pid = await deadPid();
    writeServeState(state({ pid }), env);
    await expect(readServeState(env)).rejects.toThrow(`the Outpost Local that served ${endpoint} (pid ${pid}) is gone`);
    expect(fs.existsSync(serveStateFile(env))).toBe(false);
  });

  test('a serve still starting: says to try again once it prints "serving"', async () => {
    writeServeState(state({ endpoint: '', environment: {}, starting: true }), env);
    await expect(readServeState(env)).rejects.toThrow(/is still starting/);
  });

  test('a live process whose endpoint does not answer: says so, naming the endpoint', async () => {
    await new Promise((resolve) => server.close(resolve));
    writeServeState(state(), env);
    await expect(readServeState(env)).rejects.toThrow(`does not answer at ${endpoint}`);
  });

  test('a file that is not a serve\'s state: says to delete it', async () => {
    fs.mkdirSync(path.dirname(serveStateFile(env)), { recursive: true });
    fs.writeFileSync(serveStateFile(env), '{"pid": "x"');
    await expect(readServeState(env)).rejects.toThrow(/is not a serve's state \(unreadable or incomplete\): delete it/);
  });

  test('a second serve is refused while the first lives; a dead one\'s file is taken over', async () => {
    const parent = process.ppid;
    writeServeState(state({ pid: parent }), env);
    expect(() => writeServeState(state(), env)).toThrow(`an Outpost Local is already serving ${endpoint} (pid ${parent}`);
    fs.rmSync(serveStateFile(env));
    writeServeState(state({ pid: await deadPid() }), env);
    expect(() => writeServeState(state(), env)).not.toThrow();
    expect(JSON.parse(fs.readFileSync(serveStateFile(env), 'utf8')).pid).toBe(process.pid);
  });

  test('a serve removes only its own file', () => {
    writeServeState(state({ pid: process.ppid }), env);
    removeServeState(process.pid, env);
    expect(fs.existsSync(serveStateFile(env))).toBe(true);
    removeServeState(process.ppid, env);
    expect(fs.existsSync(serveStateFile(env))).toBe(false);
  });
});

describe('export lines', () => {
  test('a POSIX shell that evals them gets every value back exactly, quotes and spaces included', () => {
    const values = { PLAIN: 'http://127.0.0.1:4566/', QUOTED: 'it\'s "here" $HOME `x` \\n', SPACED: '/tmp/a b/ca.pem' };
    const script = `${exportLines(values)}\nprintf '%s\\0' "$PLAIN" "$QUOTED" "$SPACED"`;
    expect(execFileSync('sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, 3)).toEqual(Object.values(values));
  });
});
