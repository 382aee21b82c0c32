import { output, recorded, REQUEST } from './support';
import { agentAdapter } from '../../../runtime/worker/agents';

const aider = agentAdapter('aider');

test('one message, always yes, no commits or .gitignore edits of its own, history kept in HOME', () => {
  const { args, env } = aider.invocation(REQUEST);
  expect(args.slice(0, 2)).toEqual(['--message=-v add a health check', '--model=model-x']);
  // Acts without asking, and leaves committing (and .gitignore) to the worker.
  expect(args).toEqual(expect.arrayContaining(['--yes-always', '--no-auto-commits', '--no-dirty-commits', '--no-gitignore']));
  // Nothing interactive or chatty: no update check, release notes, model warnings, analytics prompt, colours.
  expect(args).toEqual(expect.arrayContaining(['--no-check-update', '--no-show-release-notes', '--no-show-model-warnings', '--analytics-disable', '--no-pretty']));
  expect(args).toEqual(expect.arrayContaining(['--input-history-file=/home/agent/.aider.input.history', '--chat-history-file=/home/agent/.aider.chat.history.md']));
  expect(args).toHaveLength(13);
  expect(env).toEqual({});
  expect(aider.scratchPatterns).toEqual(['.aider*']);
});

test('usage from every "Tokens:" report, k-suffixed counts expanded', () => {
  expect(aider.report(output(recorded('aider.txt'))).usage?.[0]).toMatchObject({ model: 'model-x', output: 85 + 1100, cached: 2300 });
});

test('no usage when the run ended before the CLI reported it', () => {
  expect(aider.report(output('Aider v0.86.2\nlitellm.AuthenticationError: invalid x-api-key\n')).usage).toBeNull();
});
