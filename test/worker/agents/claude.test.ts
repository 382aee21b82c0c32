import { output, recorded, REQUEST } from './support';
import { agentAdapter } from '../../../runtime/worker/agents';

/*
 * The fixtures are what Claude Code 2.1.332 printed (stdout) against runtime/local/kit/providers/anthropic.ts,
 * asked for `claude-sonnet-4-5`: claude.jsonl a run that wrote a file in two turns, served as
 * `claude-sonnet-4-5-20250929`; claude-subagent.jsonl a run whose main model handed the edit to a subagent
 * on `haiku` (the stand-in's `delegateTo`), every id served as `<id>-20261107`; claude-throttled.jsonl and
 * claude-unauthorized.jsonl runs the stand-in answered 429 and 401 (CLAUDE_CODE_MAX_RETRIES=1).
 */
const claude = agentAdapter('claude');
const ASKED = { requestedModel: 'claude-sonnet-4-5' };

/** The recorded result line, changed by `change`, in place of the original. */
function withResult(change: (result: Record<string, any>) => Record<string, any>): string {
  return recorded('claude.jsonl').split('\n')
    .map((line) => (line.includes('"type":"result"') ? JSON.stringify(change(JSON.parse(line))) : line))
    .join('\n');
}

test('print mode, stream-json with --verbose, no permission prompts, the prompt after --', () => {
  expect(claude.invocation(REQUEST)).toEqual({
    args: ['-p', '--model', 'model-x', '--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions', '--', '-v add a health check'],
    env: { IS_SANDBOX: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
  });
});

test('usage from the result line\'s modelUsage, cache reads and writes added to the input, under the id the API served', () => {
  // The stand-in reported 1013 + 1035 input, 2311 + 2351 cache writes, 4127 + 4161 cache reads, 87 + 107 output.
  expect(claude.report(output(recorded('claude.jsonl'), ASKED))).toEqual({
    usage: [{ model: 'claude-sonnet-4-5-20250929', input: 2048 + 4662 + 8288, output: 194, cached: 8288, cacheWrite: 4662 }],
    failure: null,
  });
});

test('one entry per model Claude Code used, each under the snapshot the API served (a subagent on haiku)', () => {
  // Claude Code asked for claude-sonnet-4-5 (responses 0 and 3) and, for the subagent, the current haiku,
  // claude-haiku-5-5 (responses 1 and 2): the stand-in's reportedUsage() for that run.
  expect(claude.report(output(recorded('claude-subagent.jsonl'), ASKED)).usage).toEqual([
    { model: 'claude-sonnet-4-5-20261107', input: 15304, output: 276, cached: 8374, cacheWrite: 4808 },
    { model: 'claude-haiku-5-5-20261107', input: 15228, output: 248, cached: 8362, cacheWrite: 4764 },
  ]);
});

test('a model the API named nothing for keeps the id Claude Code asked for', () => {
  const stdout = withResult((result) => ({ ...result, modelUsage: { ...result.modelUsage, 'claude-opus-5-5': { inputTokens: 7, outputTokens: 3 } } }));
  expect(claude.report(output(stdout, ASKED)).usage?.map((usage) => usage.model)).toEqual(['claude-sonnet-4-5-20250929', 'claude-opus-5-5']);
});

test('without modelUsage, the result\'s usage under the served id', () => {
  const stdout = withResult(({ modelUsage, ...result }) => result);
  expect(claude.report(output(stdout, ASKED)).usage).toEqual([{ model: 'claude-sonnet-4-5-20250929', input: 14998, output: 194, cached: 8288, cacheWrite: 4662 }]);
});

test('a provider error is the failure, with its status and the API\'s message', () => {
  expect(claude.report(output(recorded('claude-throttled.jsonl'), { ...ASKED, exitCode: 1 }))).toEqual({
    usage: null,
    failure: 'Claude Code failed (HTTP 429): API Error: Request rejected (429) · Number of request tokens has exceeded your per-minute rate limit (stand-in)',
  });
  expect(claude.report(output(recorded('claude-unauthorized.jsonl'), { ...ASKED, exitCode: 1 })).failure)
    .toBe('Claude Code failed (HTTP 401): Invalid API key · Fix external API key');
});

test('an error result without a text names its errors, or its subtype', () => {
  const errors = withResult((result) => ({ ...result, is_error: true, subtype: 'error_during_execution', result: undefined, api_error_status: null, errors: ['tool crashed'] }));
  expect(claude.report(output(errors, ASKED)).failure).toBe('Claude Code failed: tool crashed');
  const bare = withResult((result) => ({ ...result, is_error: true, subtype: 'error_max_turns', result: '', api_error_status: null }));
  expect(claude.report(output(bare, ASKED)).failure).toBe('Claude Code failed: error_max_turns');
});

test('no usage and no failure when the run ended before the CLI reported', () => {
  expect(claude.report(output(recorded('claude.jsonl').split('\n').slice(0, 3).join('\n')))).toEqual({ usage: null, failure: null });
});

test('malformed lines and counts do not break parsing', () => {
  const stdout = '{"type":"result","usage":{"input_tokens":"many","output_tokens":5}}\n{not json\n';
  expect(claude.report(output(stdout)).usage).toEqual([{ model: 'model-x', input: 0, output: 5, cached: 0, cacheWrite: 0 }]);
});
