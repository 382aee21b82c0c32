import { output, recorded, REQUEST } from './support';
import { agentAdapter } from '../../../runtime/worker/agents';

const gemini = agentAdapter('gemini');

test('headless prompt, yolo, JSON output; values attached so a leading dash stays a value', () => {
  expect(gemini.invocation(REQUEST)).toEqual({
    args: ['--prompt=-v add a health check', '--model=model-x', '--yolo', '--output-format=json'],
    env: {},
  });
});

test('usage per model from stats.models, thoughts counted as output', () => {
  const usage = gemini.report(output(recorded('gemini.json'))).usage;
  expect(usage?.reduce((sum, model) => sum + model.input, 0)).toBe(24401 + 803);
  expect(usage?.reduce((sum, model) => sum + model.output, 0)).toBe(215 + 103 + 16 + 38);
  expect(gemini.report(output(`Loaded cached credentials.\n${recorded('gemini.json')}`)).usage).not.toBeNull();
});

test('no usage when the run ended before the CLI reported it', () => {
  expect(gemini.report(output('{"error":{"type":"ApiError","message":"quota","code":429}}')).usage).toBeNull();
});
