import { output, recorded, REQUEST } from './support';
import { agentAdapter } from '../../../runtime/worker/agents';

const gemini = agentAdapter('gemini');

/**
 * Fixtures: what Gemini CLI 0.61.0 printed against the Gemini API stand-in (runtime/local/kit/providers/gemini.ts).
 * gemini.json is the stdout of a `--model=auto` run, whose router asked gemini-3.5-flash-lite for a complexity
 * score before gemini-3.8-flash did the work (served as `<id>-001`); gemini-<failure>.stderr.txt the stderr of a
 * run the stand-in failed (stdout stays empty): retry warnings, a stack trace, then the error document.
 */
const FAILED_RUNS = {
  'unauthorized': { exitCode: 145, reason: 'Gemini API error 401 UNAUTHENTICATED: API key not valid. Please pass a valid API key.' },
  'throttled': {
    exitCode: 173,
    reason: 'Gemini CLI error 429: You exceeded your current quota, please check your plan and billing details.\nSuggested retry after 1s.',
  },
  'server-error': {
    exitCode: 244,
    reason: 'Gemini API error 500 INTERNAL: An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  },
  'gone': { exitCode: 154, reason: 'Gemini API error 410 NOT_FOUND: models/gemini-3.8-flash has been retired and is no longer available.' },
};

test('headless prompt, yolo, JSON output, values attached so a leading dash stays a value; the workspace trusted, no relaunch', () => {
  expect(gemini.invocation(REQUEST)).toEqual({
    args: ['--prompt=-v add a health check', '--model=model-x', '--yolo', '--output-format=json'],
    env: { GEMINI_CLI_TRUST_WORKSPACE: 'true', GEMINI_CLI_NO_RELAUNCH: 'true' },
  });
});

test('usage per served model: input is the prompt (cache reads included) plus tool-use prompt, output adds thinking', () => {
  expect(gemini.report(output(recorded('gemini.json')))).toEqual({
    usage: [
      { model: 'gemini-3.5-flash-lite-001', input: 6127, output: 87 + 211, cached: 0, cacheWrite: 0 },
      { model: 'gemini-3.8-flash-001', input: 18047 + 60, output: 243 + 533, cached: 12413, cacheWrite: 0 },
    ],
    failure: null,
  });
});

test('the document is found after other lines on stdout', () => {
  const usage = gemini.report(output(`Loaded cached credentials.\n{ not json\n${recorded('gemini.json')}`)).usage;
  expect(usage?.map((model) => model.model)).toEqual(['gemini-3.5-flash-lite-001', 'gemini-3.8-flash-001']);
});

test.each(Object.entries(FAILED_RUNS))('a run the provider failed (%s): the reason from the error document on stderr', (failure, run) => {
  expect(gemini.report(output('', { stderr: recorded(`gemini-${failure}.stderr.txt`), exitCode: run.exitCode }))).toEqual({
    usage: null,
    failure: run.reason,
  });
});

test('an error of the CLI\'s own is reported with its code', () => {
  const stderr = '{\n  "session_id": "s",\n  "error": {\n    "type": "FatalTurnLimitedError",\n    "message": "Reached max session turns",\n    "code": 53\n  }\n}';
  expect(gemini.report(output('', { stderr, exitCode: 53 })).failure).toBe('Gemini CLI error 53: Reached max session turns');
  expect(gemini.report(output('{"error": "quota"}', { exitCode: 1 })).failure).toBe('Gemini CLI failed: "quota"');
});

test('no usage and no failure from output without the document', () => {
  expect(gemini.report(output('partial {', { stderr: 'Killed' }))).toEqual({ usage: null, failure: null });
});
