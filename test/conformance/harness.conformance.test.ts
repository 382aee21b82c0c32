import * as net from 'net';
import * as path from 'path';
import { installCli } from '../../runtime/local/kit/cli-install';
import { Sandbox } from '../../runtime/local/kit/sandbox/sandbox';
import { asAgent } from '../../runtime/worker/agent-identity';
import { AGENT_GID, AGENT_UID } from '../../src/agents/agent-user';
import { runConformance, type ConformanceOptions, type ConformanceRun } from '../support/conformance/run-worker';
import { taskConditions } from '../support/conformance/task-conditions';

/** Reports what the agent's process may do, then writes one file (agents/probe.sh). */
const PROBE_AGENT = path.join(__dirname, 'agents', 'probe.sh');
const REPOSITORY_ROOT = path.join(__dirname, '..', '..');
const PROMPT = 'Probe the sandbox\n\nReport the conditions and write conformance-probe.txt.';
/** The port a test endpoint is given inside; the git server and S3 are at 443 and 80. */
const PROVIDER_INSIDE_PORT = 9000;
/** The claude task definition's secret, which ECS would inject: a test value (the worker masks it). */
const SECRETS = { ANTHROPIC_API_KEY: 'sk-ant-conformance-not-a-key' };

jest.setTimeout(120_000);

/** A claude task running the probe agent in its place, with the secret its task definition injects, and `overrides`. */
function probeRun(overrides: Partial<ConformanceOptions> = {}): Promise<ConformanceRun> {
  return runConformance({ agent: 'claude', model: 'conformance-model', prompt: PROMPT, agentCommand: PROBE_AGENT, env: SECRETS, ...overrides });
}

/** `probe <name> <value>` lines of the probe agent's transcript. */
function probes(run: ConformanceRun): Record<string, string> {
  return Object.fromEntries((run.transcript ?? '').split('\n')
    .map((line) => /^probe (\S+) (.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1], match[2]]));
}

/** A command as the worker runs the agent's CLI: through setpriv, as the agent. */
function agentCommand(command: string, args: string[]): string[] {
  const spawned = asAgent({ separate: true, uid: AGENT_UID, gid: AGENT_GID }, command, args);
  return [spawned.command, ...spawned.args];
}

/** A TCP server on the host's loopback that counts the connections it gets: a stand-in's stand-in. */
async function countingServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the conformance harness, with a script agent', () => {
  let run: ConformanceRun;
  let provider: Awaited<ReturnType<typeof countingServer>>;

  beforeAll(async () => {
    provider = await countingServer();
    run = await probeRun({
      endpoints: { provider: { hostPort: provider.port, insidePort: PROVIDER_INSIDE_PORT } },
      // The named endpoints, then the same server at its host port, and a port nothing forwards.
      env: { ...SECRETS, PROBE_PORTS: `provider:${PROVIDER_INSIDE_PORT} git:443 s3:80 provider-host-port:${provider.port} unnamed:8443` },
    });
  });
  afterAll(() => provider?.close());

  test('the worker runs to succeeded and exits 0', () => {
    expect(run.result).toMatchObject({ dispatchId: run.dispatchId, agent: 'claude', model: 'conformance-model', status: 'succeeded', exitCode: 0, error: null });
    expect(run.exitCode).toBe(0);
  });

  test('the commit is on outpost/<dispatchId> on the git server, on top of main, with the agent\'s file', () => {
    expect(run.commit).toMatchObject({
      branch: `outpost/${run.dispatchId}`,
      sha: run.result?.commit,
      author: 'Outpost Agent <agent@outpost.invalid>',
      subject: 'Probe the sandbox',
      files: { 'README.md': '# Conformance fixture\n', 'conformance-probe.txt': 'written by the conformance probe agent\n' },
    });
    expect(run.commit?.parent).toMatch(/^[0-9a-f]{40}$/);
    expect(run.pushes).toEqual([{ repository: '/outpost/conformance.git', status: 200 }]);
  });

  test('result.json and the artifacts arrive in S3 through the control plane\'s presigned POST', () => {
    expect(run.artifacts).toEqual(['changes.patch', 'result.json', 'stderr.log', 'transcript.log']);
    expect(run.result?.branch).toBe(`outpost/${run.dispatchId}`);
  });

  test('the worker (root, with the task definition\'s capabilities) runs the agent as the image\'s user (1000:1000) with every capability set empty and no_new_privs', () => {
    expect(probes(run)).toMatchObject({
      uid: '1000',
      gid: '1000',
      groups: '1000',
      home: '/home/agent',
      cwd: `/workspace/${run.dispatchId}`,
      CapInh: '0000000000000000',
      CapPrm: '0000000000000000',
      CapEff: '0000000000000000',
      CapBnd: '0000000000000000',
      CapAmb: '0000000000000000',
      NoNewPrivs: '1',
    });
  });

  test('the root file system is read-only; the agent\'s work tree, home and temp are writable, /tmp is 1777; the workspace root is the worker\'s', () => {
    expect(probes(run)).toMatchObject({
      'write-root': 'read-only',
      'write-usr': 'read-only',
      'write-etc': 'read-only',
      'write-workspace': 'permission-denied',
      'write-workdir': 'ok',
      'write-home': 'ok',
      'write-tmp': 'ok',
      'write-tmpdir': 'ok',
      'tmp-mode': '1777',
    });
  });

  test('only the named endpoints are reachable: not the same server at its host port, nor any other port', () => {
    expect(probes(run)).toMatchObject({
      'connect-provider': 'ok',
      'connect-git': 'ok',
      'connect-s3': 'ok',
      'connect-provider-host-port': 'denied',
      'connect-unnamed': 'denied',
    });
    expect(provider.connections()).toBe(1);
  });
});

describe('runConformance\'s own checks', () => {
  test('an endpoint may not take the name of the harness\'s git server or S3', async () => {
    await expect(probeRun({ endpoints: { s3: { hostPort: 1, insidePort: 9000 } } })).rejects.toThrow('endpoint names s3 are the harness\'s own');
  });
});

describe('the conditions matter', () => {
  test('a run without a value for the task definition\'s secret is refused, as ECS would not start the task', async () => {
    await expect(probeRun({ env: {} }))
      .rejects.toThrow('the claude task definition injects ANTHROPIC_API_KEY from Secrets Manager; pass a test value in `env`');
  });

  test('without the image\'s VOLUME declarations, Fargate\'s root-owned 0755 mounts leave the agent no home and no /tmp to write', async () => {
    const run = await probeRun({ taskConditions: (conditions) => ({ ...conditions, volumes: [] }) });
    expect(probes(run)).toMatchObject({ 'write-home': 'permission-denied', 'write-tmp': 'permission-denied', 'tmp-mode': '755', 'write-workdir': 'ok' });
  });

  test('with a writable root file system the probe\'s writes to / are refused by ownership instead, so the read-only probe is not vacuous', async () => {
    const run = await probeRun({ taskConditions: (conditions) => ({ ...conditions, readonlyRootFilesystem: false }) });
    expect(probes(run)).toMatchObject({ 'write-root': 'permission-denied', 'write-etc': 'permission-denied', 'write-workdir': 'ok' });
  });
});

describe('stopping the task', () => {
  test('SIGTERM to the container, as StopTask sends it, stops the agent; the worker still pushes and uploads, and reports cancelled', async () => {
    const run = await probeRun({ env: { ...SECRETS, PROBE_SLEEP_SECONDS: '60' }, cancelAfterSeconds: 2 });
    expect(run.result).toMatchObject({ status: 'cancelled', exitCode: 143, commit: run.commit?.sha });
    expect(run.exitCode).toBe(143);
    expect(run.commit?.files['conformance-probe.txt']).toBe('written by the conformance probe agent\n');
    expect(run.result?.durationSeconds).toBeLessThan(30);
  });
});

describe('a dispatch without a repository (`outpost doctor`\'s canary)', () => {
  test('the agent runs in an empty work tree it may write; nothing is cloned or pushed, and the run succeeds', async () => {
    const run = await probeRun({ repository: false });
    expect(run.result).toMatchObject({ dispatchId: run.dispatchId, status: 'succeeded', exitCode: 0, commit: null, branch: null, error: null });
    expect(run.exitCode).toBe(0);
    expect(run.pushes).toEqual([]);
    expect(run.workerLog).not.toMatch(/"step":"clone"|"step":"publish"/);
    expect(probes(run)).toMatchObject({ 'write-workdir': 'ok' });
    expect(run.artifacts).toEqual(expect.arrayContaining([expect.stringMatching(/result\.json$/), expect.stringMatching(/transcript/)]));
  });
});

describe('the agent\'s CLI, installed at its image\'s pin', () => {
  test('runs inside the sandbox as the agent, started as the worker starts it, from its install outside the repository', async () => {
    const cli = await installCli('grok');
    expect(cli.prefix.startsWith(REPOSITORY_ROOT)).toBe(false);
    const sandbox = await Sandbox.start({
      conditions: taskConditions('grok'),
      cli,
      endpoints: {},
      inboundPort: 8080,
      env: {},
      command: agentCommand('sh', ['-c', `command -v ${path.basename(cli.bin)}; ${path.basename(cli.bin)} --version; id -u`]),
    });
    try {
      expect(await sandbox.exited).toBe(0);
      // What --version prints is the CLI's business (it varies by CLI): that it runs is the point.
      const [found, version, uid] = sandbox.log.trim().split('\n');
      expect(found).toBe(cli.bin);
      expect(version).toMatch(/\d+\.\d+\.\d+/);
      expect(uid).toBe('1000');
    } finally {
      await sandbox.dispose();
    }
  }, 600_000);
});

describe('Sandbox.exec, which runs the task definition\'s health check', () => {
  test('runs in the container\'s namespaces and root, as its user (root) with only the capabilities the task definition leaves', async () => {
    const sandbox = await Sandbox.start({
      conditions: taskConditions('claude'), endpoints: {}, inboundPort: 8080, env: {}, command: ['sleep', '60'],
    });
    try {
      const check = await sandbox.exec(['sh', '-c', [
        'id -u', 'grep CapEff /proc/self/status', 'test -f /opt/outpost/worker/worker.js && echo worker',
        `test -e ${REPOSITORY_ROOT} || echo no-repository`, 'ps -e -o pid= | wc -l',
      ].join('; ')]);
      expect(check.exitCode).toBe(0);
      // Inside its pid namespace: the sandbox's init, sleep, and the check's own processes only.
      // CHOWN (0), DAC_OVERRIDE (1), KILL (5), SETGID (6), SETUID (7), SETPCAP (8): linux/capability.h.
      expect(check.output.split('\n').slice(0, 4)).toEqual(['0', 'CapEff:\t00000000000001e3', 'worker', 'no-repository']);
      expect(Number(check.output.split('\n')[4])).toBeLessThan(10);
    } finally {
      await sandbox.dispose();
    }
  });
});
