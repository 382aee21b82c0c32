import { output, recorded, REQUEST } from './support';
import { agentAdapter } from '../../../runtime/worker/agents';

const grok = agentAdapter('grok');

test('headless prompt in the workdir, the key under GROK_API_KEY', () => {
  expect(grok.invocation(REQUEST)).toEqual({
    args: ['--prompt=-v add a health check', '--model=model-x', `--directory=${REQUEST.workdir}`],
    env: { GROK_API_KEY: 'xai-key' },
  });
});

test('reports no usage', () => {
  expect(grok.report(output(recorded('grok.jsonl'))).usage).toBeNull();
});
