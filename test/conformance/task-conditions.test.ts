import { cliCache, cliPin } from '../../runtime/local/kit/cli-install';
import { taskConditions } from '../support/conformance/task-conditions';

describe('task conditions, read from the synthesized task definition and the Dockerfiles', () => {
  const conditions = taskConditions('codex');

  test('user, read-only root, capabilities, mounts and health check come from the task definition', () => {
    // The worker's identity: root, with what the task definition leaves of the default capabilities.
    expect(conditions).toMatchObject({ uid: 0, gid: 0, userName: 'root', readonlyRootFilesystem: true });
    expect(conditions.capabilities).toEqual(['CHOWN', 'DAC_OVERRIDE', 'KILL', 'SETGID', 'SETPCAP', 'SETUID']);
    expect(conditions.droppedCapabilities).toEqual(expect.arrayContaining(['FOWNER', 'FSETID', 'MKNOD', 'NET_RAW', 'SETFCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'AUDIT_WRITE', 'SYS_PTRACE', 'SYS_ADMIN']));
    // The agent's: the image's `agent` user, which the worker switches to.
    expect(conditions.users).toEqual(expect.arrayContaining([{ name: 'agent', uid: 1000, gid: 1000, home: '/home/agent' }]));
    expect(conditions.mounts).toEqual([
      { volume: 'workspace', containerPath: '/workspace', readOnly: false, hostPath: undefined },
      { volume: 'home', containerPath: '/home/agent', readOnly: false, hostPath: undefined },
      { volume: 'tmp', containerPath: '/tmp', readOnly: false, hostPath: undefined },
    ]);
    expect(conditions.healthCheck).toEqual(['CMD', 'node', '/opt/outpost/worker/worker.js', '--healthcheck']);
  });

  test('the environment is the images\' ENV overlaid with the task definition\'s', () => {
    expect(conditions.environment).toMatchObject({
      OUTPOST_AGENT: 'codex',
      OUTPOST_WORKER_PORT: '8080',
      OUTPOST_WORKSPACE_ROOT: '/workspace',
      HOME: '/home/agent',
      TMPDIR: '/tmp',
      DO_NOT_TRACK: '1',
      PYTHONUNBUFFERED: '1',
    });
    expect(conditions.secretNames).toEqual(['OPENAI_API_KEY']);
  });

  test('the image: its WORKDIR, the files it copies in, and the paths it creates with their owner and mode', () => {
    expect(conditions.workdir).toBe('/workspace');
    expect(conditions.copies.map((copy) => copy.destination)).toEqual(['/opt/outpost/worker/worker.js', '/etc/codex/config.toml']);
    expect(conditions.imagePaths['/workspace']).toEqual({ uid: 1000, gid: 1000, mode: 0o755 });
    expect(conditions.imagePaths['/home/agent']).toEqual({ uid: 1000, gid: 1000, mode: 0o755, skeleton: '/etc/skel' });
    expect(conditions.imagePaths['/opt/outpost/worker']).toEqual({ uid: 0, gid: 0, mode: 0o755 });
  });
});

describe('the CLI pins, read from each agent\'s Dockerfile', () => {
  test.each([
    ['claude', 'npm', '@anthropic-ai/claude-code'],
    ['codex', 'npm', '@openai/codex'],
    ['gemini', 'npm', '@google/gemini-cli'],
    ['aider', 'pip', 'aider-chat'],
  ] as const)('%s: %s package %s at an exact version', (agent, manager, name) => {
    expect(cliPin(agent)).toEqual({ manager, package: name, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  test('the cache is OUTPOST_CLI_CACHE, else under XDG_CACHE_HOME, else under ~/.cache; never the repository', () => {
    expect(cliCache({ OUTPOST_CLI_CACHE: '/cache/clis', XDG_CACHE_HOME: '/xdg', HOME: '/home/me' })).toBe('/cache/clis');
    expect(cliCache({ XDG_CACHE_HOME: '/xdg', HOME: '/home/me' })).toBe('/xdg/outpost-cdk/clis');
    expect(cliCache({ HOME: '/home/me' })).toBe('/home/me/.cache/outpost-cdk/clis');
  });
});
