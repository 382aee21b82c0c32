import { startOpenAiResponsesStandIn } from '../../runtime/local/kit/providers/openai-responses';
import { type ProviderFailure, type ProviderStandIn } from '../../runtime/local/kit/providers/stand-in';
import { agentAdapter } from '../../runtime/worker/agents';
import { runThroughGateway } from '../support/conformance/gateway-run';
import type { ConformanceRun } from '../support/conformance/run-worker';

/**
 * The real Codex CLI (containers/codex/Dockerfile's pin) run by the real bundled worker under the task
 * definition's conditions, against a stand-in of the OpenAI Responses API, which Codex reaches through the worker's
 * model gateway (its openai_base_url setting, a placeholder key); the gateway adds the task's key and forwards over
 * TLS (the stand-in behind a test CA). The runs start together: Codex's own retries make each failure case take seconds.
 */

const API_KEY = 'sk-proj-conformance7f3a9c21';
/** A model of Codex 0.171.0's own catalog (its embedded models.json), so it runs with its metadata. */
const MODEL = 'gpt-6.2-sol';
const EDIT = { file: 'conformance-codex.txt', content: 'written by Codex through the stand-in\n' };
const PROVIDER_INSIDE_PORT = 9000;

// A 500 alone takes Codex ~30 s of its own retries; the harness adds its set-up, more on a loaded machine.
jest.setTimeout(240_000);

interface Case {
  readonly standIn: ProviderStandIn;
  readonly run: ConformanceRun;
}

async function runCodex(options: { failure?: ProviderFailure; apiKey?: string }): Promise<Case> {
  const standIn = await startOpenAiResponsesStandIn({ apiKey: API_KEY, edit: EDIT, failure: options.failure });
  try {
    const run = await runThroughGateway({ provider: 'openai', standIn, apiKey: options.apiKey ?? API_KEY, insidePort: PROVIDER_INSIDE_PORT }, {
      agent: 'codex',
      model: MODEL,
      prompt: `Create ${EDIT.file}.`,
    });
    return { standIn, run };
  } finally {
    await standIn.stop();
  }
}

describe('Codex against the OpenAI Responses stand-in', () => {
  let cases: Record<'succeeds' | 'unauthorized' | 'throttled' | 'serverError' | 'gone', Case>;

  beforeAll(async () => {
    const [succeeds, unauthorized, throttled, serverError, gone] = await Promise.all([
      runCodex({}),
      runCodex({ apiKey: 'sk-proj-revoked0000beef' }),
      runCodex({ failure: 'throttled' }),
      runCodex({ failure: 'server-error' }),
      runCodex({ failure: 'gone' }),
    ]);
    cases = { succeeds, unauthorized, throttled, serverError, gone };
  });

  describe('a run that edits a file over two model calls', () => {
    test('succeeds and exits 0', () => {
      const { run } = cases.succeeds;
      expect({ status: run.status, exitCode: run.exitCode, error: run.result?.error }).toEqual({ status: 'succeeded', exitCode: 0, error: null });
    });

    test('pushes a commit on outpost/<dispatchId> with the edit', () => {
      const { run } = cases.succeeds;
      expect(run.commit?.files[EDIT.file]).toBe(EDIT.content);
      expect(run.artifacts).toContain('result.json');
    });

    test('records exactly the usage the provider reported, per model, once', () => {
      const { run, standIn } = cases.succeeds;
      const modelCalls = standIn.requests.filter((request) => request.path === 'POST /v1/responses');
      expect(modelCalls.length).toBe(2);
      expect(standIn.reportedUsage()).toHaveLength(1);
      expect(run.result?.modelUsage).toEqual(standIn.reportedUsage());
      // Codex's own figures agree: the cross-check.
      const reported = agentAdapter('codex').report({ requestedModel: MODEL, stdout: run.transcript ?? '', stderr: run.stderr ?? '', exitCode: run.exitCode });
      expect(reported.usage).toEqual(standIn.reportedUsage());
    });

    test('the key is the task\'s, never Codex\'s: it is in nothing the run wrote', () => {
      const { run } = cases.succeeds;
      for (const text of [run.transcript, run.stderr, run.workerLog, JSON.stringify(run.result)]) {
        expect(text).not.toContain(API_KEY);
      }
    });

    test('Codex had the model in its catalog and asked for it', () => {
      const { run, standIn } = cases.succeeds;
      expect(standIn.requests.filter((request) => request.path === 'POST /v1/responses').map((request) => request.model)).toEqual([MODEL, MODEL]);
      expect(`${run.transcript ?? ''}${run.stderr ?? ''}`).not.toMatch(/Model metadata for .* not found/);
    });
  });

  describe('what Codex asks of the provider', () => {
    test('only the Responses API over HTTP: the gateway answers its WebSocket handshake 426; no model list, no other endpoint', () => {
      expect(new Set(cases.succeeds.standIn.requests.map((request) => request.path))).toEqual(new Set(['POST /v1/responses']));
    });

    test('with analytics off: the image\'s /etc/codex/config.toml is read under the task\'s conditions', () => {
      const turns = cases.succeeds.standIn.requests
        .filter((request) => request.path === 'POST /v1/responses')
        .map((request) => JSON.parse((request.body as any).client_metadata['x-codex-turn-metadata']));
      expect(turns.map((turn) => turn.analytics_enabled)).toEqual([false, false]);
      // The adapter's flag is still what Codex runs with: no sandbox of its own.
      expect(turns.map((turn) => turn.sandbox)).toEqual(['none', 'none']);
    });
  });

  describe('a provider failure makes the run failed, with the reason Codex reported', () => {
    test.each([
      // Codex quotes the API's message for a 401 and a 410.
      ['unauthorized', 'unexpected status 401 Unauthorized: Incorrect API key provided: sk-****************beef'],
      // For a 429 past its retries and for a 500, Codex 0.171 reports its own words, not the API's body.
      ['throttled', 'exceeded retry limit, last status: 429 Too Many Requests'],
      ['serverError', 'We’re currently experiencing high demand'],
      ['gone', 'unexpected status 410 Gone: The model `gpt-6.2-sol` has been deprecated'],
    ] as const)('%s', (name, reason) => {
      const { run, standIn } = cases[name];
      expect(run.status).toBe('failed');
      expect(run.exitCode).not.toBe(0);
      expect(run.result?.error).toContain(reason);
      expect(standIn.reportedUsage()).toEqual([]);
      expect(run.result?.modelUsage ?? null).toBeNull();
    });
  });
});
