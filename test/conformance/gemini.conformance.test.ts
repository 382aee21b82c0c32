import { runConformance, type ConformanceRun } from '../support/conformance/run-worker';
import { startGeminiStandIn, type ProviderFailure, type ProviderStandIn } from '../support/providers/gemini';

/**
 * Gemini CLI at its image's pin, run by the bundled worker under the gemini task's conditions (read-only root,
 * writable HOME and workspace, loopback only), against the Gemini API stand-in as its provider.
 */

const API_KEY = 'AIzaSy-conformance-gemini-key';
/** Where the stand-in is reached inside the sandbox, through the CLI's GOOGLE_GEMINI_BASE_URL. */
const INSIDE_PORT = 9000;
const EDIT = { file: 'src/greeting.txt', content: 'Hello from Gemini CLI\n' };
const PROMPT = 'Create src/greeting.txt saying hello';
/** What the stand-in reports serving for a requested id, so that usage is seen attributed to the served model. */
const servedModel = (requested: string) => `${requested}-001`;
/**
 * The CLI's documented project settings (.gemini/settings.json in the workspace, read since the workspace is
 * trusted): two attempts, so that a retried failure (429, 500) ends after one ~5 s backoff instead of ten.
 */
const TWO_ATTEMPTS = { '.gemini/settings.json': JSON.stringify({ general: { maxAttempts: 2 } }) };

jest.setTimeout(180_000);

async function run(model: string, options: { failure?: ProviderFailure; repositoryFiles?: Record<string, string> } = {}): Promise<{ run: ConformanceRun; standIn: ProviderStandIn }> {
  const standIn = await startGeminiStandIn({ apiKey: API_KEY, edit: EDIT, failure: options.failure, servedModel });
  try {
    const conformance = await runConformance({
      agent: 'gemini',
      model,
      prompt: PROMPT,
      endpoints: { gemini: { hostPort: standIn.port, insidePort: INSIDE_PORT } },
      env: { GEMINI_API_KEY: API_KEY, GOOGLE_GEMINI_BASE_URL: `http://127.0.0.1:${INSIDE_PORT}` },
      repositoryFiles: { 'README.md': '# Conformance fixture\n', ...options.repositoryFiles },
    });
    return { run: conformance, standIn };
  } finally {
    await standIn.stop();
  }
}

function expectSucceededWithTheEdit({ run: conformance }: { run: ConformanceRun }): void {
  expect(conformance.result).toMatchObject({ status: 'succeeded', exitCode: 0, error: null });
  expect(conformance.exitCode).toBe(0);
  expect(conformance.artifacts).toContain('result.json');
  expect(conformance.commit).toMatchObject({ branch: `outpost/${conformance.dispatchId}`, sha: conformance.result?.commit });
  expect(conformance.commit?.files).toMatchObject({ [EDIT.file]: EDIT.content });
}

describe('Gemini CLI against the Gemini API stand-in', () => {
  test('the `flash` alias: the CLI resolves it, edits the file over two turns, usage goes to the served model', async () => {
    const flash = await run('flash');
    expectSucceededWithTheEdit(flash);
    // Gemini CLI 0.61.0's resolveModel('flash') with an API key; a write_file call, then the final answer.
    expect(flash.standIn.requests.map((request) => request.model)).toEqual(['gemini-3.8-flash', 'gemini-3.8-flash']);
    expect(flash.run.result?.modelUsage).toEqual(flash.standIn.reportedUsage());
    expect(flash.run.result?.modelUsage.map((usage: { model: string }) => usage.model)).toEqual(['gemini-3.8-flash-001']);
  });

  test('`auto`: the router\'s classifier on one model and the work on another, usage per model exactly', async () => {
    const auto = await run('auto');
    expectSucceededWithTheEdit(auto);
    expect(auto.standIn.requests.map((request) => request.path)).toEqual([
      '/v1beta/models/gemini-3.5-flash-lite:generateContent',
      '/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse',
      '/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse',
    ]);
    const reported = auto.standIn.reportedUsage();
    expect(reported.map((usage) => usage.model)).toEqual(['gemini-3.5-flash-lite-001', 'gemini-3.8-flash-001']);
    expect(auto.run.result?.modelUsage).toEqual(reported);
    expect(auto.run.result?.tokenUsage).toEqual({
      input: reported[0].input + reported[1].input,
      output: reported[0].output + reported[1].output,
      cached: reported[0].cached + reported[1].cached,
      cacheWrite: 0,
    });
  });

  test.each([
    ['unauthorized', 'API key not valid. Please pass a valid API key.', 1],
    ['throttled', 'You exceeded your current quota', 2],
    ['server-error', 'An internal error has occurred', 2],
    ['gone', 'models/gemini-3.8-flash has been retired and is no longer available.', 1],
  ] as const)('the provider failing (%s) fails the run with its reason', async (failure, reason, attempts) => {
    const failed = await run('flash', { failure, repositoryFiles: TWO_ATTEMPTS });
    expect(failed.run.status).toBe('failed');
    expect(failed.run.result?.error).toContain(reason);
    expect(failed.run.commit).toBeUndefined();
    expect(failed.standIn.requests).toHaveLength(attempts);
  });
});
