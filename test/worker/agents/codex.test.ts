import { output, recorded, REQUEST } from './support';
import { agentAdapter } from '../../../runtime/worker/agents';
import { PLACEHOLDER_KEY } from '../../../runtime/worker/agents/gateway-route';

const codex = agentAdapter('codex');

describe('invocation', () => {
  test('exec --json in the workdir, no approvals or sandbox; without the gateway, no key and no base URL', () => {
    expect(codex.invocation(REQUEST)).toEqual({
      args: ['exec', '--json', '--model', 'model-x', '--dangerously-bypass-approvals-and-sandbox', '--skip-git-repo-check', '--cd', REQUEST.workdir, '--', '-v add a health check'],
      env: {},
    });
  });

  test('through the gateway: its /openai/v1 as the openai_base_url setting (a TOML string), the placeholder as both keys', () => {
    const env = { ...REQUEST.env, OUTPOST_GATEWAY_URL: 'http://127.0.0.1:41234', OUTPOST_GATEWAY_PROVIDERS: 'openai' };
    const invocation = codex.invocation({ ...REQUEST, env });
    expect(invocation.args.slice(invocation.args.indexOf('--config'), invocation.args.indexOf('--'))).toEqual(['--config', 'openai_base_url="http://127.0.0.1:41234/openai/v1"']);
    expect(invocation.env).toEqual({ CODEX_API_KEY: PLACEHOLDER_KEY, OPENAI_API_KEY: PLACEHOLDER_KEY });
  });
});

// The fixtures are what Codex 0.171.0 printed against runtime/local/kit/providers/openai-responses.ts
// (test/worker/fixtures/codex.README.md).
describe('usage', () => {
  test('from turn.completed, cache writes included, for the model asked for when Codex names no other', () => {
    expect(codex.report(output(recorded('codex.jsonl'), { requestedModel: 'gpt-6.2-sol' }))).toEqual({
      usage: [{ model: 'gpt-6.2-sol', input: 10437, output: 217, cached: 6315, cacheWrite: 0 }],
      failure: null,
    });
  });

  test('the last turn.completed only: each carries the thread\'s running total', () => {
    // Turn 1 reported 10437 input tokens; turn 2 (one more model call of 5535) reported 15972, the total.
    expect(codex.report(output(recorded('codex-resumed.jsonl'))).usage).toEqual([
      { model: 'model-x', input: 15972, output: 360, cached: 9708, cacheWrite: 0 },
    ]);
  });

  test('attributed to the model the API served when Codex reports a reroute', () => {
    expect(codex.report(output(recorded('codex-rerouted.jsonl'), { requestedModel: 'gpt-6.2-sol' }))).toEqual({
      usage: [{ model: 'gpt-6.2-sol-2026-11-30', input: 10437, output: 217, cached: 6315, cacheWrite: 0 }],
      failure: null,
    });
  });

  test('none when the run ended before the CLI reported it', () => {
    expect(codex.report(output(recorded('codex-server-error.jsonl'))).usage).toBeNull();
  });
});

describe('failure', () => {
  test.each([
    ['codex-unauthorized.jsonl', 'unexpected status 401 Unauthorized: Incorrect API key provided: sk-****************beef.'],
    ['codex-throttled.jsonl', 'exceeded retry limit, last status: 429 Too Many Requests'],
    ['codex-server-error.jsonl', 'We’re currently experiencing high demand, which may cause temporary errors.'],
    ['codex-gone.jsonl', 'unexpected status 410 Gone: The model `gpt-6.2-sol` has been deprecated'],
  ])('%s: the turn.failed message, even when the CLI exits 0', (fixture, reason) => {
    const failure = codex.report(output(recorded(fixture), { exitCode: 0 })).failure;
    expect(failure).toContain(reason);
    expect(failure).not.toMatch(/^Reconnecting/);
  });

  test('a fatal error event without turn.failed', () => {
    const stdout = '{"type":"thread.started","thread_id":"x"}\n{"type":"error","message":"Reconnecting... 1/5 (stream disconnected)"}\n{"type":"error","message":"stream disconnected before completion"}\n';
    expect(codex.report(output(stdout)).failure).toBe('stream disconnected before completion');
  });

  test('none for a run whose retries were answered, nor for the reroute notices', () => {
    const retried = `{"type":"error","message":"Reconnecting... 2/5 (request timed out)"}\n${recorded('codex.jsonl')}`;
    expect(codex.report(output(retried)).failure).toBeNull();
    expect(codex.report(output(recorded('codex-rerouted.jsonl'))).failure).toBeNull();
  });
});
