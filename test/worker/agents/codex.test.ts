import { output, recorded, REQUEST } from './support';
import { agentAdapter } from '../../../runtime/worker/agents';

const codex = agentAdapter('codex');

test('exec --json in the workdir, no approvals or sandbox, the key under CODEX_API_KEY', () => {
  expect(codex.invocation(REQUEST)).toEqual({
    args: ['exec', '--json', '--model', 'model-x', '--dangerously-bypass-approvals-and-sandbox', '--skip-git-repo-check', '--cd', REQUEST.workdir, '--', '-v add a health check'],
    env: { CODEX_API_KEY: 'sk-openai' },
  });
  expect(codex.invocation({ ...REQUEST, env: {} }).env).toEqual({});
});

test('usage from turn.completed', () => {
  expect(codex.report(output(recorded('codex.jsonl'))).usage).toEqual([{ model: 'model-x', input: 24763, output: 122, cached: 24448, cacheWrite: 0 }]);
});

test('no usage when the run ended before the CLI reported it', () => {
  const stdout = '{"type":"thread.started","thread_id":"x"}\n{"type":"turn.failed","error":{"message":"stream disconnected"}}\n';
  expect(codex.report(output(stdout)).usage).toBeNull();
});
