import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { testAgentUid } from './support/agent-uid';
import { agentIdentity, asAgent, handOver, workerDirectory, type AgentIdentity } from '../../runtime/worker/agent-identity';
import { killAgentProcesses, runningProcessesOf } from '../../runtime/worker/agent-processes';
import { AGENT_GID, AGENT_UID } from '../../src/agents/agent-user';

/**
 * The worker's side of the two identities, on this machine's kernel: these need root (the worker is root in its
 * task; CI runs as root). A run without root fails here, saying why, rather than skipping.
 */
const UID = testAgentUid();
/** The agent as the worker makes it, with a uid of this suite's own (support/agent-uid.ts): the kills reach nothing else. */
const AGENT: AgentIdentity = { separate: true, uid: UID, gid: UID };

function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new Error('these tests switch to the agent\'s uid and kill its processes, as the worker does in its task: run them as root (CI does)');
  }
}

/** Runs `script` as the agent, as the worker starts the CLI, and returns its output. */
function asTheAgent(script: string, env: NodeJS.ProcessEnv = { PATH: process.env.PATH }): string {
  const { command, args } = asAgent(AGENT, 'sh', ['-c', script]);
  return execFileSync(command, args, { env, cwd: '/', encoding: 'utf8' });
}

describe('the agent\'s identity', () => {
  let root: string;
  beforeAll(requireRoot);
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-identity-'));
    fs.chmodSync(root, 0o755);
  });
  afterEach(async () => {
    await killAgentProcesses(AGENT);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a root worker separates: the agent is the images\' uid/gid 1000, without groups, capabilities or a way to regain any', () => {
    expect(agentIdentity()).toEqual({ separate: true, uid: AGENT_UID, gid: AGENT_GID });
    expect([AGENT_UID, AGENT_GID]).toEqual([1000, 1000]);
    const status = asTheAgent('id -u; id -G; grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):" /proc/self/status').trim().split('\n');
    expect(status).toEqual([
      String(UID), String(UID),
      'CapInh:\t0000000000000000', 'CapPrm:\t0000000000000000', 'CapEff:\t0000000000000000',
      'CapBnd:\t0000000000000000', 'CapAmb:\t0000000000000000', 'NoNewPrivs:\t1',
    ]);
  });

  test('a worker that is not root runs the agent as itself, unchanged', () => {
    expect(asAgent({ separate: false, uid: 501, gid: 20 }, 'claude', ['-p'])).toEqual({ command: 'claude', args: ['-p'] });
  });

  test('a process of the worker (git during the push) keeps its environment, memory and fds from the agent', async () => {
    const secret = 'ghs_workerOnlySecret0123456789';
    const git = spawn('sleep', ['30'], { env: { OUTPOST_GIT_PASSWORD: secret }, stdio: 'ignore' });
    try {
      const report = asTheAgent([
        `cat /proc/${git.pid}/environ >/dev/null 2>&1 && echo environ-read || echo environ-denied`,
        `(exec 3</proc/${git.pid}/mem) 2>/dev/null && echo mem-read || echo mem-denied`,
        `ls /proc/${git.pid}/fd >/dev/null 2>&1 && echo fd-read || echo fd-denied`,
        `kill -0 ${git.pid} 2>/dev/null && echo signal-allowed || echo signal-denied`,
      ].join('; '));
      expect(report.trim().split('\n')).toEqual(['environ-denied', 'mem-denied', 'fd-denied', 'signal-denied']);
      // The control: the same probes on a process of its own uid succeed.
      const own = asTheAgent('sleep 30 & p=$!; cat /proc/$p/environ >/dev/null && echo environ-read; kill $p');
      expect(own.trim()).toBe('environ-read');
    } finally {
      git.kill('SIGKILL');
    }
  });

  test('killAgentProcesses kills every process of the agent\'s uid: setsid and double-forked escapees, and a forking loop', async () => {
    asTheAgent('setsid sleep 300 </dev/null >/dev/null 2>&1 & (setsid sh -c "trap \\"\\" TERM HUP; while :; do sleep 1; done" </dev/null >/dev/null 2>&1 &) ; '
      + '(sh -c "while :; do sleep 0.01 & done" </dev/null >/dev/null 2>&1 &)');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await runningProcessesOf(UID)).length).toBeGreaterThan(2);
    const rounds = await killAgentProcesses(AGENT);
    expect(rounds).toBeGreaterThan(0);
    expect(await runningProcessesOf(UID)).toEqual([]);
  });

  test('killAgentProcesses does nothing when the worker shares the agent\'s uid (it would kill itself)', async () => {
    expect(await killAgentProcesses({ separate: false, uid: process.getuid!(), gid: process.getgid!() })).toBe(0);
  });

  test('workerDirectory takes a directory back for root with its mode; the agent can then neither list nor rename it', async () => {
    const workspace = path.join(root, 'workspace');
    fs.mkdirSync(workspace);
    fs.chownSync(workspace, UID, UID);
    await workerDirectory(AGENT, workspace, 0o755);
    await workerDirectory(AGENT, path.join(workspace, '.outpost'), 0o700);
    expect(fs.statSync(workspace)).toMatchObject({ uid: 0, gid: 0, mode: 0o40755 });
    const report = asTheAgent(`ls ${workspace}/.outpost >/dev/null 2>&1 && echo listed || echo list-denied; `
      + `mv ${workspace}/.outpost ${workspace}/moved 2>/dev/null && echo renamed || echo rename-denied`);
    expect(report.trim().split('\n')).toEqual(['list-denied', 'rename-denied']);
  });

  test('handOver gives the agent what root wrote in the work tree, and follows no symbolic link out of it', async () => {
    const workdir = path.join(root, 'work');
    const outside = path.join(root, 'outside');
    fs.mkdirSync(path.join(workdir, 'src'), { recursive: true });
    fs.writeFileSync(path.join(workdir, 'src', 'a.txt'), 'a');
    fs.writeFileSync(outside, 'the worker\'s');
    fs.symlinkSync(outside, path.join(workdir, 'link'));
    fs.writeFileSync(path.join(workdir, 'someone-elses'), 'b');
    fs.chownSync(path.join(workdir, 'someone-elses'), 4242, 4242);
    await handOver(AGENT, workdir);
    expect(fs.statSync(path.join(workdir, 'src', 'a.txt'))).toMatchObject({ uid: UID, gid: UID });
    expect(fs.statSync(workdir)).toMatchObject({ uid: UID, gid: UID });
    expect(fs.lstatSync(path.join(workdir, 'link'))).toMatchObject({ uid: UID });
    expect(fs.statSync(outside)).toMatchObject({ uid: 0, gid: 0 });
    // Only root's entries change: on a persistent workspace the access point's owner is left alone.
    expect(fs.statSync(path.join(workdir, 'someone-elses'))).toMatchObject({ uid: 4242, gid: 4242 });
  });
});
