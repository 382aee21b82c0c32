import { output, recorded, REQUEST } from './support';
import { agentAdapter } from '../../../runtime/worker/agents';

/**
 * The fixtures are what opencode 1.18.18 (`opencode run --format json`, the adapter's invocation) printed
 * against runtime/local/kit/providers/xai-responses.ts: grok.jsonl a write-then-answer run (usage rows 1 and 2 of
 * the stand-in), grok-unauthorized.jsonl its 401, grok-throttled.jsonl its 429 after opencode's five retries.
 */
const grok = agentAdapter('grok');

test('opencode run, one shot: JSON events, no prompts, the xAI model declared, a fixed title, the prompt after --', () => {
  const invocation = grok.invocation(REQUEST);
  expect(invocation.args).toEqual([
    'run', '--format', 'json', '--auto', '--model', 'xai/model-x', '--title', 'Outpost dispatch', '--dir', REQUEST.workdir, '--', '-v add a health check',
  ]);
  expect(JSON.parse(invocation.env.OPENCODE_CONFIG_CONTENT)).toEqual({ provider: { xai: { models: { 'model-x': {} } } } });
  // opencode reads XAI_API_KEY itself: the worker's environment passes it on unchanged.
  expect(Object.keys(invocation.env)).toEqual(['OPENCODE_CONFIG_CONTENT']);
});

test('a model already named in opencode form is not prefixed twice', () => {
  const invocation = grok.invocation({ ...REQUEST, model: 'xai/grok-code-fast-1' });
  expect(invocation.args).toContain('xai/grok-code-fast-1');
  expect(JSON.parse(invocation.env.OPENCODE_CONFIG_CONTENT).provider.xai.models).toEqual({ 'grok-code-fast-1': {} });
});

test('usage from every step_finish, with the cache reads and reasoning opencode splits off added back', () => {
  // step 1: input 327 + cache read 6144, output 18 + reasoning 19; step 2: input 389, output 11.
  expect(grok.report(output(recorded('grok.jsonl')))).toEqual({
    usage: [{ model: 'model-x', input: 6471 + 6217, output: 37 + 143, cached: 6144 + 4096, cacheWrite: 0 }],
    failure: null,
  });
});

test('cache writes count as input and as cacheWrite', () => {
  const step = { type: 'step_finish', part: { type: 'step-finish', tokens: { input: 10, output: 5, reasoning: 2, cache: { read: 100, write: 40 } } } };
  expect(grok.report(output(`${JSON.stringify(step)}\n`)).usage).toEqual([{ model: 'model-x', input: 150, output: 7, cached: 100, cacheWrite: 40 }]);
});

test("a provider's refusal is the failure, with its status and xAI's message", () => {
  const unauthorized = grok.report(output(recorded('grok-unauthorized.jsonl'), { exitCode: 1 }));
  expect(unauthorized).toEqual({
    usage: null,
    failure: 'HTTP 401: Client specified an invalid argument: Incorrect API key provided: xa***st. You can obtain an API key from https://console.x.ai.',
  });
  const throttled = grok.report(output(recorded('grok-throttled.jsonl'), { exitCode: 1 }));
  expect(throttled.failure).toBe('HTTP 429: Too many requests: Rate limit exceeded for grok requests: 480 requests per minute. Slow down or raise your team limit.');
});

test('an error without a provider status is reported by its message, even when the CLI exits 0', () => {
  const stdout = '{"type":"error","error":{"name":"UnknownError","data":{"message":"Unexpected server error. Check server logs for details."}}}\n';
  expect(grok.report(output(stdout)).failure).toBe('Unexpected server error. Check server logs for details.');
  expect(grok.report(output('{"type":"error","error":{"name":"ProviderAuthError"}}\n')).failure).toBe('ProviderAuthError');
});

test('a clean run reports no failure', () => {
  expect(grok.report(output('')).failure).toBeNull();
});
