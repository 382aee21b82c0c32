import { ConfigError, readConfig, readPort } from '../../runtime/worker/config';
import { workspaceLayout } from '../../runtime/worker/workspace';

describe('readConfig', () => {
  const required = { OUTPOST_AGENT: 'gemini', OUTPOST_WORKER_TOKEN_CIPHERTEXT: 'c2VhbGVk', OUTPOST_CLUSTER: 'outpost' };

  test('defaults everything but the agent and the token\'s ciphertext and cluster', () => {
    expect(readConfig(required)).toEqual({
      agent: 'gemini',
      port: 8080,
      tokenCiphertext: 'c2VhbGVk',
      cluster: 'outpost',
      workspaceRoot: '/workspace',
      persistentWorkspacePath: '/mnt/workspace',
      agentCommand: undefined,
      allowFileRepositories: false,
      timeoutScale: 1,
      testAgentUid: undefined,
    });
  });

  test('reads every setting', () => {
    expect(readConfig({
      ...required,
      OUTPOST_WORKER_PORT: '9000',
      OUTPOST_WORKSPACE_ROOT: '/data/ws',
      OUTPOST_PERSISTENT_WORKSPACE_PATH: '/efs',
      OUTPOST_AGENT_COMMAND: '/opt/fake',
      OUTPOST_ALLOW_FILE_REPOSITORIES: '1',
      OUTPOST_TEST_TIMEOUT_SCALE: '0.01',
      OUTPOST_TEST_AGENT_UID: '41234',
    })).toEqual({
      agent: 'gemini',
      port: 9000,
      tokenCiphertext: 'c2VhbGVk',
      cluster: 'outpost',
      workspaceRoot: '/data/ws',
      persistentWorkspacePath: '/efs',
      agentCommand: '/opt/fake',
      allowFileRepositories: true,
      timeoutScale: 0.01,
      testAgentUid: 41234,
    });
  });

  test.each([
    ['no agent', { OUTPOST_WORKER_TOKEN_CIPHERTEXT: 'c2VhbGVk', OUTPOST_CLUSTER: 'outpost' }, /OUTPOST_AGENT/],
    ['an unknown agent', { ...required, OUTPOST_AGENT: 'copilot' }, /OUTPOST_AGENT/],
    ['no token', { OUTPOST_AGENT: 'claude', OUTPOST_CLUSTER: 'outpost' }, /OUTPOST_WORKER_TOKEN_CIPHERTEXT/],
    ['a plaintext token instead of its ciphertext', { OUTPOST_AGENT: 'claude', OUTPOST_WORKER_TOKEN: 'tok', OUTPOST_CLUSTER: 'outpost' }, /OUTPOST_WORKER_TOKEN_CIPHERTEXT/],
    ['no cluster, which the token\'s encryption context names', { OUTPOST_AGENT: 'claude', OUTPOST_WORKER_TOKEN_CIPHERTEXT: 'c2VhbGVk' }, /OUTPOST_CLUSTER/],
    ['a bad port', { ...required, OUTPOST_WORKER_PORT: '80a' }, /OUTPOST_WORKER_PORT/],
    ['a port out of range', { ...required, OUTPOST_WORKER_PORT: '70000' }, /OUTPOST_WORKER_PORT/],
    ['a timeout scale that lengthens timeouts', { ...required, OUTPOST_TEST_TIMEOUT_SCALE: '2' }, /OUTPOST_TEST_TIMEOUT_SCALE/],
    ['root as the test agent\'s uid', { ...required, OUTPOST_TEST_AGENT_UID: '0' }, /OUTPOST_TEST_AGENT_UID/],
  ])('refuses %s', (_, env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });

  test('the health check needs only the port', () => {
    expect(readPort({})).toBe(8080);
    expect(readPort({ OUTPOST_WORKER_PORT: '8181' })).toBe(8181);
  });
});

describe('workspaceLayout', () => {
  const config = { workspaceRoot: '/workspace', persistentWorkspacePath: '/mnt/workspace' };
  const dispatchId = '01JQ8Z6V3N4R5T7W9Y1B3D5F7H';

  test('an ephemeral workspace is a directory per dispatch; artifacts and the worker\'s git directories live outside it', () => {
    expect(workspaceLayout(config, { dispatchId, workspace: { kind: 'ephemeral' } })).toEqual({
      root: '/workspace',
      workerRoot: '/workspace/.outpost',
      workdir: `/workspace/${dispatchId}`,
      gitRoot: `/workspace/.outpost/${dispatchId}.git`,
      artifacts: {
        directory: `/workspace/.outpost/${dispatchId}`,
        transcript: `/workspace/.outpost/${dispatchId}/transcript.log`,
        stderr: `/workspace/.outpost/${dispatchId}/stderr.log`,
        patch: `/workspace/.outpost/${dispatchId}/changes.patch`,
      },
    });
  });

  test('a persistent workspace is the EFS mount; artifacts stay on ephemeral storage', () => {
    const layout = workspaceLayout(config, { dispatchId, workspace: { kind: 'persistent', name: 'team-a' } });
    expect(layout.workdir).toBe('/mnt/workspace');
    expect(layout.artifacts.directory).toBe(`/workspace/.outpost/${dispatchId}`);
    // Off the EFS volume: nothing of the worker's git outlives the task for the next run to find.
    expect(layout.gitRoot).toBe(`/workspace/.outpost/${dispatchId}.git`);
  });
});
