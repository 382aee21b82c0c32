import { REQUEST } from './support';
import type { AgentName } from '../../../runtime/contracts/agent-names';
import { agentAdapter } from '../../../runtime/worker/agents';
import { PLACEHOLDER_KEY } from '../../../runtime/worker/agents/gateway-route';
import { adapterEnvironment } from '../../../runtime/worker/gateway/adapter-environment';

/** What dispatch.ts gives the adapters: the task's environment (keys included), the gateway carrying every provider. */
const GATEWAY = 'http://127.0.0.1:41234';
const TASK_ENV = { HOME: '/home/agent', ANTHROPIC_API_KEY: 'sk-ant-real', OPENAI_API_KEY: 'sk-openai-real', GEMINI_API_KEY: 'AIza-real', XAI_API_KEY: 'xai-real' };
const env = adapterEnvironment(TASK_ENV, { url: GATEWAY, providers: ['anthropic', 'openai', 'gemini', 'xai'] });

/** Each CLI's base-URL setting (the adapters cite the CLIs' docs and sources) and the variables holding the placeholder. */
const EXPECTED: Record<AgentName, { readonly urls: Record<string, string>; readonly keys: readonly string[] }> = {
  claude: { urls: { ANTHROPIC_BASE_URL: `${GATEWAY}/anthropic` }, keys: ['ANTHROPIC_API_KEY'] },
  codex: { urls: {}, keys: ['CODEX_API_KEY', 'OPENAI_API_KEY'] },
  gemini: { urls: { GOOGLE_GEMINI_BASE_URL: `${GATEWAY}/gemini` }, keys: ['GEMINI_API_KEY'] },
  aider: {
    urls: { ANTHROPIC_API_BASE: `${GATEWAY}/anthropic`, OPENAI_API_BASE: `${GATEWAY}/openai/v1`, GEMINI_API_BASE: `${GATEWAY}/gemini/v1beta`, XAI_API_BASE: `${GATEWAY}/xai/v1` },
    keys: ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'GEMINI_API_KEY', 'XAI_API_KEY'],
  },
  grok: { urls: { XAI_BASE_URL: `${GATEWAY}/xai/v1` }, keys: ['XAI_API_KEY'] },
};

test('the adapters see no key, only the gateway\'s address', () => {
  expect(Object.values(env)).not.toEqual(expect.arrayContaining([expect.stringMatching(/-real$/)]));
  expect(env).toMatchObject({ HOME: '/home/agent', OUTPOST_GATEWAY_URL: GATEWAY, OUTPOST_GATEWAY_PROVIDERS: 'anthropic,openai,gemini,xai' });
});

test.each(Object.keys(EXPECTED) as AgentName[])('%s is pointed at the gateway and holds the placeholder', (name) => {
  const invocation = agentAdapter(name).invocation({ ...REQUEST, env });
  expect(invocation.env).toMatchObject(EXPECTED[name].urls);
  for (const key of EXPECTED[name].keys) {
    expect(invocation.env[key]).toBe(PLACEHOLDER_KEY);
  }
  expect(JSON.stringify(invocation)).not.toMatch(/-real/);
});

test('a provider the gateway does not carry gets neither base URL nor placeholder', () => {
  const none = adapterEnvironment({ HOME: '/home/agent' }, { url: GATEWAY, providers: [] });
  expect(agentAdapter('claude').invocation({ ...REQUEST, env: none }).env).toEqual({ IS_SANDBOX: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' });
});

test('Claude on Bedrock: Claude Code sends its requests unsigned to the gateway\'s /bedrock, which signs them with the task role', () => {
  const bedrock = adapterEnvironment({ HOME: '/home/agent', CLAUDE_CODE_USE_BEDROCK: '1' }, { url: GATEWAY, providers: ['bedrock'] });
  expect(agentAdapter('claude').invocation({ ...REQUEST, env: bedrock }).env).toEqual({
    IS_SANDBOX: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', ANTHROPIC_BEDROCK_BASE_URL: `${GATEWAY}/bedrock`, CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1',
  });
});
