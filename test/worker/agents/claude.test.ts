import { output, recorded, REQUEST } from './support';
import { agentAdapter } from '../../../runtime/worker/agents';

const claude = agentAdapter('claude');

test('print mode, stream-json with --verbose, no permission prompts, the prompt after --', () => {
  expect(claude.invocation(REQUEST)).toEqual({
    args: ['-p', '--model', 'model-x', '--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions', '--', '-v add a health check'],
    env: { IS_SANDBOX: '1' },
  });
});

test('usage from the result line, cache reads and writes added to the input', () => {
  expect(claude.report(output(recorded('claude.jsonl'))).usage)
    .toEqual([{ model: 'model-x', input: 12 + 1523 + 29283, output: 241, cached: 29283, cacheWrite: 1523 }]);
});

test('no usage when the run ended before the CLI reported it', () => {
  expect(claude.report(output(recorded('claude.jsonl').split('\n').slice(0, 3).join('\n'))).usage).toBeNull();
});

test('malformed lines and counts do not break parsing', () => {
  const stdout = '{"type":"result","usage":{"input_tokens":"many","output_tokens":5}}\n{not json\n';
  expect(claude.report(output(stdout)).usage).toEqual([{ model: 'model-x', input: 0, output: 5, cached: 0, cacheWrite: 0 }]);
});
