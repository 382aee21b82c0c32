import { type ProviderFailure, type ProviderStandIn } from '../../runtime/local/kit/providers/stand-in';
import { startXaiResponsesStandIn } from '../../runtime/local/kit/providers/xai-responses';
import { agentAdapter } from '../../runtime/worker/agents';
import { runThroughGateway } from '../support/conformance/gateway-run';
import type { ConformanceRun } from '../support/conformance/run-worker';

/**
 * Grok as production runs it: the bundled worker starts the real opencode (the image's pin) with the adapter's
 * invocation, in the task's conditions, against a stand-in of xAI's Responses API reached through the worker's model
 * gateway: the adapter sets the image's XAI_BASE_URL (/etc/opencode/opencode.json reads it) to it and XAI_API_KEY to a
 * placeholder; the gateway adds the task's key and forwards over TLS (the stand-in behind a test CA). opencode itself takes about 20 s of each dispatch
 * (mostly its start-up). The dispatches run one after another: run concurrently, all five timed out here.
 */
const API_KEY = 'xai-conformance-0c4f9a7e51';
const MODEL = 'grok-code-fast-1';
/** The port the stand-in is reached on inside the sandbox. */
const INSIDE_PORT = 8443;
const EDIT = { file: 'src/greeting.txt', content: 'Hello from Grok, through opencode.\n' };

jest.setTimeout(170_000);

async function dispatch(standIn: ProviderStandIn, apiKey = API_KEY): Promise<ConformanceRun> {
  return runThroughGateway({ provider: 'xai', standIn, apiKey, insidePort: INSIDE_PORT }, {
    agent: 'grok',
    model: MODEL,
    prompt: `Write ${EDIT.file}`,
    repositoryFiles: { 'README.md': '# conformance\n', 'src/.gitkeep': '' },
  });
}

async function withStandIn<T>(failure: ProviderFailure | undefined, body: (standIn: ProviderStandIn) => Promise<T>): Promise<T> {
  const standIn = await startXaiResponsesStandIn({ apiKey: API_KEY, edit: EDIT, failure });
  try {
    return await body(standIn);
  } finally {
    await standIn.stop();
  }
}

test('a dispatch edits the repository over a tool turn, commits it, and reports the usage xAI reported, per model', async () => {
  await withStandIn(undefined, async (standIn) => {
    const run = await dispatch(standIn);

    expect({ status: run.status, exitCode: run.exitCode, error: run.result?.error }).toEqual({ status: 'succeeded', exitCode: 0, error: null });
    expect(run.commit?.branch).toBe(`outpost/${run.dispatchId}`);
    expect(run.commit?.files[EDIT.file]).toBe(EDIT.content);
    expect(run.artifacts).toContain('result.json');
    // Two streamed responses: the write call, then the closing text after the tool's output.
    expect(standIn.requests.map((request) => `${request.path} ${request.model}`)).toEqual([`/v1/responses ${MODEL}`, `/v1/responses ${MODEL}`]);
    expect(run.result?.modelUsage).toEqual(standIn.reportedUsage());
    expect(run.result?.modelUsage).toEqual([{ model: MODEL, input: 6217 + 6471, output: 143 + 37, cached: 4096 + 6144, cacheWrite: 0 }]);
    // opencode's own figures (its step_finish events) agree with the gateway's: the cross-check.
    expect(agentAdapter('grok').report({ requestedModel: MODEL, stdout: run.transcript ?? '', stderr: run.stderr ?? '', exitCode: run.exitCode }).usage)
      .toEqual(standIn.reportedUsage());
    for (const text of [run.transcript, run.stderr, run.workerLog, JSON.stringify(run.result)]) {
      expect(text).not.toContain(API_KEY);
    }
  });
});

// The provider's reason, as opencode printed it (its `error` event) and the adapter reported it.
test.each<[ProviderFailure, string, number]>([
  ['throttled', 'HTTP 429: Too many requests: Rate limit exceeded', 6],
  ['server-error', 'HTTP 500: Internal error: The service encountered an internal error', 6],
  ['gone', 'HTTP 410: Model deprecated: The model grok-3-mini was deprecated', 1],
])('%s: the dispatch fails with the provider\'s reason', async (failure, reason, attempts) => {
  await withStandIn(failure, async (standIn) => {
    const run = await dispatch(standIn);

    expect(run.status).toBe('failed');
    expect(run.exitCode).not.toBe(0);
    expect(run.result?.error).toContain(reason);
    // opencode retries 429 and 5xx five times (honouring retry-after), and never a 401 or 410.
    expect(standIn.requests).toHaveLength(attempts);
  });
});

// 401 as xAI answers it: the stand-in checks the key the task was given.
test('a key xAI does not know: the dispatch fails with the provider\'s reason, without retries', async () => {
  await withStandIn(undefined, async (standIn) => {
    const run = await dispatch(standIn, 'xai-wrong-key');

    expect(run.status).toBe('failed');
    expect(run.exitCode).not.toBe(0);
    expect(run.result?.error).toContain('HTTP 401: Client specified an invalid argument: Incorrect API key provided');
    expect(standIn.requests).toHaveLength(1);
  });
});
