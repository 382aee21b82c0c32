import { output, recorded, REQUEST } from './support';
import { agentAdapter } from '../../../runtime/worker/agents';

/*
 * The fixtures are what Aider 0.86.2 printed (stdout) against runtime/local/kit/providers/anthropic.ts, which
 * served `claude-sonnet-4-5` as `claude-sonnet-4-5-20250929` and reported 1013 input tokens, 2311 cache
 * writes, 4127 cache reads and 87 output tokens: aider.txt with the adapter's flags (`--no-stream
 * --cache-prompts --verbose`); aider-unauthorized.txt and aider-throttled.txt the same against a 401 and
 * a 429 (Aider exited 0 both times); aider-streamless-tokens.txt with `--no-stream --cache-prompts` only.
 */
const aider = agentAdapter('aider');

test('one message, always yes, no commits or .gitignore edits of its own, history kept in HOME', () => {
  const { args, env } = aider.invocation(REQUEST);
  expect(args.slice(0, 2)).toEqual(['--message=-v add a health check', '--model=model-x']);
  // Acts without asking, and leaves committing (and .gitignore) to the worker.
  expect(args).toEqual(expect.arrayContaining(['--yes-always', '--no-auto-commits', '--no-dirty-commits', '--no-gitignore']));
  // Nothing interactive or chatty: no update check, release notes, model warnings, analytics prompt, colours.
  expect(args).toEqual(expect.arrayContaining(['--no-check-update', '--no-show-release-notes', '--no-show-model-warnings', '--analytics-disable', '--no-pretty']));
  // Real usage with cache figures, and LiteLLM's response printed with them.
  expect(args).toEqual(expect.arrayContaining(['--no-stream', '--cache-prompts', '--verbose']));
  expect(args).toEqual(expect.arrayContaining(['--input-history-file=/home/agent/.aider.input.history', '--chat-history-file=/home/agent/.aider.chat.history.md']));
  expect(args).toHaveLength(16);
  expect(env).toEqual({});
  expect(aider.scratchPatterns).toEqual(['.aider*']);
});

test('exact usage from LiteLLM\'s response, under the model it names; its prompt tokens already hold the cache', () => {
  expect(aider.report(output(recorded('aider.txt')))).toEqual({
    usage: [{ model: 'claude-sonnet-4-5-20250929', input: 1013 + 2311 + 4127, output: 87, cached: 4127, cacheWrite: 2311 }],
    failure: null,
  });
});

test('a reply that quotes usage figures does not change them', () => {
  const stdout = recorded('aider.txt').replace("message=Message(content='I will create", "message=Message(content='usage=Usage(prompt_tokens=1, cache_read_input_tokens=1) I will create");
  expect(stdout).not.toBe(recorded('aider.txt'));
  expect(aider.report(output(stdout)).usage).toEqual([{ model: 'claude-sonnet-4-5-20250929', input: 7451, output: 87, cached: 4127, cacheWrite: 2311 }]);
});

test('without a printed response, the rounded "Tokens:" figures, the cache writes counted once', () => {
  // "Tokens: 9.8k sent, 2.3k cache write, 4.1k cache hit, 87 received." for 7451 input (2311 written,
  // 4127 read): Aider's `sent` is LiteLLM's prompt tokens plus the cache writes again.
  const [usage] = aider.report(output(recorded('aider-streamless-tokens.txt'))).usage!;
  expect(usage).toEqual({ model: 'model-x', input: 9800 - 2300, output: 87, cached: 4100, cacheWrite: 2300 });
  // format_tokens keeps one decimal of thousands: each figure is off by 50 at most, the input by 100.
  expect(Math.abs(usage.input - 7451)).toBeLessThanOrEqual(100);
  expect(Math.abs(usage.cached - 4127)).toBeLessThanOrEqual(50);
  expect(Math.abs(usage.cacheWrite - 2311)).toBeLessThanOrEqual(50);
});

test('a provider error Aider printed last is the failure, its wrapped lines joined, even though it exited 0', () => {
  expect(aider.report(output(recorded('aider-unauthorized.txt')))).toEqual({
    usage: null,
    failure: 'Aider: litellm.AuthenticationError: AnthropicException - {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
  });
  expect(aider.report(output(recorded('aider-throttled.txt'))).failure)
    .toBe('Aider: litellm.RateLimitError: AnthropicException - {"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit (stand-in)"}}');
});

test('an error Aider retried past is no failure', () => {
  const retried = recorded('aider-throttled.txt').split('\n').slice(573, 578).join('\n');
  expect(retried).toMatch(/^litellm\.RateLimitError/);
  expect(aider.report(output(`${retried}\nRetrying in 0.2 seconds...\n${recorded('aider.txt')}`))).toMatchObject({ failure: null, usage: [{ input: 7451 }] });
});

test('no usage when the run ended before the CLI reported it', () => {
  expect(aider.report(output('Aider v0.86.2\n')).usage).toBeNull();
});
