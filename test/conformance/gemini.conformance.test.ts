import { startGeminiStandIn } from '../../runtime/local/kit/providers/gemini';
import { type ProviderFailure, type ProviderStandIn } from '../../runtime/local/kit/providers/stand-in';
import { agentAdapter } from '../../runtime/worker/agents';
import { runThroughGateway } from '../support/conformance/gateway-run';
import type { ConformanceRun } from '../support/conformance/run-worker';

/**
 * Gemini CLI at its image's pin, run by the bundled worker under the gemini task's conditions (read-only root,
 * writable HOME and workspace, loopback only), against the Gemini API stand-in as its provider, reached through the
 * worker's model gateway (GOOGLE_GEMINI_BASE_URL, a placeholder key), which forwards over TLS with the task's key.
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

// Six runs at once on a loaded 2-CPU machine took 160 s; alone, a run takes 10-40 s.
jest.setTimeout(300_000);

interface GeminiRun {
  readonly run: ConformanceRun;
  readonly standIn: ProviderStandIn;
}

async function run(model: string, options: { failure?: ProviderFailure; repositoryFiles?: Record<string, string> } = {}): Promise<GeminiRun> {
  const standIn = await startGeminiStandIn({ apiKey: API_KEY, edit: EDIT, failure: options.failure, servedModel });
  try {
    const conformance = await runThroughGateway({ provider: 'gemini', standIn, apiKey: API_KEY, insidePort: INSIDE_PORT }, {
      agent: 'gemini',
      model,
      prompt: PROMPT,
      repositoryFiles: { 'README.md': '# Conformance fixture\n', ...options.repositoryFiles },
    });
    return { run: conformance, standIn };
  } finally {
    await standIn.stop();
  }
}

/** What Gemini CLI itself reported (its JSON document's stats), as the adapter reads it: the cross-check. */
function cliUsage({ run: conformance }: GeminiRun) {
  return agentAdapter('gemini').report({ requestedModel: conformance.result?.model, stdout: conformance.transcript ?? '', stderr: conformance.stderr ?? '', exitCode: conformance.exitCode }).usage;
}

function expectSucceededWithTheEdit({ run: conformance }: GeminiRun): void {
  expect(conformance.result).toMatchObject({ status: 'succeeded', exitCode: 0, error: null });
  expect(conformance.exitCode).toBe(0);
  expect(conformance.artifacts).toContain('result.json');
  expect(conformance.commit).toMatchObject({ branch: `outpost/${conformance.dispatchId}`, sha: conformance.result?.commit });
  expect(conformance.commit?.files).toMatchObject({ [EDIT.file]: EDIT.content });
}

/**
 * The six runs go at once (each with its own stand-in, git server, moto and sandbox): most of a run is waiting
 * on the CLI's start-up and a failure's backoff, so together they take about as long as the slowest.
 */
const FAILURES = [
  ['unauthorized', 'API key not valid. Please pass a valid API key.', 1],
  ['throttled', 'You exceeded your current quota', 2],
  ['server-error', 'An internal error has occurred', 2],
  ['gone', 'models/gemini-3.8-flash has been retired and is no longer available.', 1],
] as const;
const runs = new Map<string, Promise<GeminiRun>>();

beforeAll(() => {
  runs.set('flash', run('flash'));
  runs.set('auto', run('auto'));
  for (const [failure] of FAILURES) {
    runs.set(failure, run('flash', { failure, repositoryFiles: TWO_ATTEMPTS }));
  }
  // Each test awaits its own run and sees its error; none is left unhandled meanwhile.
  runs.forEach((pending) => pending.catch(() => undefined));
});

describe('Gemini CLI against the Gemini API stand-in', () => {
  test('the `flash` alias: the CLI resolves it, edits the file over two turns, usage goes to the served model', async () => {
    const flash = await runs.get('flash')!;
    expectSucceededWithTheEdit(flash);
    // Gemini CLI 0.61.0's resolveModel('flash') with an API key; a write_file call, then the final answer.
    expect(flash.standIn.requests.map((request) => request.model)).toEqual(['gemini-3.8-flash', 'gemini-3.8-flash']);
    expect(flash.run.result?.modelUsage).toEqual(flash.standIn.reportedUsage());
    expect(flash.run.result?.modelUsage.map((usage: { model: string }) => usage.model)).toEqual(['gemini-3.8-flash-001']);
    // The gateway's figures are result.json's; Gemini CLI's own agree: the cross-check.
    expect(cliUsage(flash)).toEqual(flash.standIn.reportedUsage());
  });

  test('`auto`: the router\'s classifier on one model and the work on another, usage per model exactly', async () => {
    const auto = await runs.get('auto')!;
    expectSucceededWithTheEdit(auto);
    expect(auto.standIn.requests.map((request) => request.path)).toEqual([
      '/v1beta/models/gemini-3.5-flash-lite:generateContent',
      '/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse',
      '/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse',
    ]);
    const reported = auto.standIn.reportedUsage();
    expect(reported.map((usage) => usage.model)).toEqual(['gemini-3.5-flash-lite-001', 'gemini-3.8-flash-001']);
    expect(auto.run.result?.modelUsage).toEqual(reported);
    const byModel = (a: { model: string }, b: { model: string }) => a.model.localeCompare(b.model);
    expect(cliUsage(auto)?.sort(byModel)).toEqual([...reported].sort(byModel));
    expect(auto.run.result?.tokenUsage).toEqual({
      input: reported[0].input + reported[1].input,
      output: reported[0].output + reported[1].output,
      cached: reported[0].cached + reported[1].cached,
      cacheWrite: 0,
    });
  });

  test.each(FAILURES)('the provider failing (%s) fails the run with its reason', async (failure, reason, attempts) => {
    const failed = await runs.get(failure)!;
    expect(failed.run.status).toBe('failed');
    expect(failed.run.result?.error).toContain(reason);
    expect(failed.run.commit).toBeUndefined();
    expect(failed.standIn.requests).toHaveLength(attempts);
  });
});
