import { agentEnvironment } from '../../runtime/worker/agent-environment';

describe('agentEnvironment', () => {
  const worker = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/agent',
    TMPDIR: '/tmp',
    AWS_REGION: 'us-east-1',
    CLAUDE_CODE_USE_BEDROCK: '1',
    OUTPOST_AGENT: 'claude',
    OUTPOST_WORKER_TOKEN_CIPHERTEXT: 'AQICAHh-ciphertext',
    ANTHROPIC_API_KEY: 'sk-ant-real',
    OPENAI_API_KEY: 'sk-proj-real',
    GEMINI_API_KEY: 'gemini-real',
    XAI_API_KEY: 'xai-real',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/secret-id',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
    AWS_CONTAINER_AUTHORIZATION_TOKEN: 'secret-token',
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/var/run/secrets/token',
    AWS_ACCESS_KEY_ID: 'AKIATASKROLE',
    AWS_SECRET_ACCESS_KEY: 'task-role-secret',
    AWS_SESSION_TOKEN: 'task-role-session',
    UNSET: undefined,
  };

  test('keeps what the agent needs to work: its paths, region and settings', () => {
    expect(agentEnvironment(worker)).toEqual({
      PATH: '/usr/bin:/bin', HOME: '/home/agent', TMPDIR: '/tmp', AWS_REGION: 'us-east-1', CLAUDE_CODE_USE_BEDROCK: '1',
    });
  });

  test('drops the worker\'s settings, the provider keys and the task role\'s credentials in every form', () => {
    const kept = Object.keys(agentEnvironment(worker));
    for (const name of Object.keys(worker).filter((variable) => /^(OUTPOST_|AWS_CONTAINER_|AWS_ACCESS|AWS_SECRET|AWS_SESSION)|_API_KEY$/.test(variable))) {
      expect(kept).not.toContain(name);
    }
  });
});
