import { startAnthropicStandIn } from '../../runtime/local/kit/providers/anthropic';
import { type ProviderFailure, type ProviderStandIn } from '../../runtime/local/kit/providers/stand-in';
import { agentAdapter } from '../../runtime/worker/agents';
import { AGENT_CATALOG } from '../../src/agents/agent-catalog';
import { AgentKind, ModelTier } from '../../src/agents/agent-kind';
import { resolveModelAlias } from '../../src/agents/model-aliases';
import { runThroughGateway } from '../support/conformance/gateway-run';
import type { ConformanceRun } from '../support/conformance/run-worker';

/*
 * Aider 0.86.2, installed as its image installs it, run by the bundled worker in the task's conditions
 * against the Anthropic stand-in, which LiteLLM reaches through ANTHROPIC_API_BASE
 * (litellm/llms/anthropic/common_utils.py) set to the worker's model gateway, holding a placeholder key; the
 * gateway adds the task's key and forwards over TLS (the stand-in behind a test CA). The model is the catalog's default for Aider, its alias `opus`:
 * Aider resolves it to `claude-opus-4-6`, a name its model settings (aider/resources/model-settings.yml) give
 * prompt caching, so `--cache-prompts` marks cache breakpoints and the stand-in reports cache reads and writes
 * (`anthropic/claude-opus-4-6` has no settings entry and would run uncached).
 */
const API_KEY = 'sk-ant-conformance-91e4b0';
const INSIDE_PORT = 9000;
const MODEL = AGENT_CATALOG[AgentKind.AIDER].models[ModelTier.BALANCED];
/** What Aider asks the API for: the alias resolved by Aider itself (the map records it from its package). */
const REQUESTED = resolveModelAlias('aider', MODEL);
const EDIT = { file: 'conformance-edit.txt', content: 'written by Aider through the stand-in\n' };
const SNAPSHOT = (requested: string) => `${requested}-20261107`;

// Aider retries throttling, server errors and a 410 itself, doubling a delay from 0.25 s until it passes
// RETRY_TIMEOUT (60 s, aider/models.py), with no setting to shorten it: about 64 s of waiting before such a
// failure, plus Aider's start (10 to 60 s on a loaded machine). The runs go in parallel, each with room
// to end on its own before the worker's timeout would.
const RUN_TIMEOUT_SECONDS = 240;
jest.setTimeout(600_000);

async function dispatch(standIn: ProviderStandIn): Promise<ConformanceRun> {
  return runThroughGateway({ provider: 'anthropic', standIn, apiKey: API_KEY, insidePort: INSIDE_PORT }, {
    agent: 'aider',
    model: MODEL,
    prompt: `Create ${EDIT.file}`,
    timeoutSeconds: RUN_TIMEOUT_SECONDS,
  });
}

/** The stand-in's reason for each failure, as LiteLLM's exception carried it into Aider's output. */
const REASONS: Record<ProviderFailure, RegExp> = {
  'unauthorized': /Aider: litellm\.AuthenticationError: .*"authentication_error".*invalid x-api-key/,
  'throttled': /Aider: litellm\.RateLimitError: .*"rate_limit_error".*per-minute rate limit \(stand-in\)/,
  'server-error': /Aider: litellm\.InternalServerError: .*"api_error".*Internal server error \(stand-in\)/,
  'gone': /Aider: litellm\.\w+: .*"not_found_error".*claude-opus-4-6 has been retired \(stand-in\)/,
};

const standIns: ProviderStandIn[] = [];
let success: { standIn: ProviderStandIn; run: ConformanceRun };
const failures = new Map<ProviderFailure, ConformanceRun>();

beforeAll(async () => {
  const runSuccess = async () => {
    const standIn = await startAnthropicStandIn({ apiKey: API_KEY, edit: EDIT, servedModel: SNAPSHOT });
    standIns.push(standIn);
    success = { standIn, run: await dispatch(standIn) };
  };
  const runFailure = async (failure: ProviderFailure) => {
    const standIn = await startAnthropicStandIn({ apiKey: API_KEY, edit: EDIT, failure });
    standIns.push(standIn);
    failures.set(failure, await dispatch(standIn));
  };
  await Promise.all([runSuccess(), ...(Object.keys(REASONS) as ProviderFailure[]).map(runFailure)]);
});
afterAll(() => Promise.all(standIns.map((standIn) => standIn.stop())));

describe('Aider against the Messages API', () => {
  test('the run succeeds and exits 0', () => {
    expect(success.run.result).toMatchObject({ status: 'succeeded', exitCode: 0, error: null });
    expect(success.run.exitCode).toBe(0);
    expect(success.run.artifacts).toContain('result.json');
  });

  test('the file of its SEARCH/REPLACE block is committed on outpost/<dispatchId>, and none of its own files', () => {
    expect(success.run.commit?.branch).toBe(`outpost/${success.run.dispatchId}`);
    expect(success.run.commit?.files[EDIT.file]).toBe(EDIT.content);
    expect(Object.keys(success.run.commit?.files ?? {}).filter((file) => file.startsWith('.aider'))).toEqual([]);
  });

  test('one unstreamed request that marks cache breakpoints (--no-stream, --cache-prompts)', () => {
    expect(success.standIn.requests).toHaveLength(1);
    const [request] = success.standIn.requests as Array<{ path: string; model?: string; body: any }>;
    expect(request).toMatchObject({ path: 'POST /v1/messages', model: REQUESTED });
    expect(request.body.stream).toBeFalsy();
    expect(JSON.stringify(request.body)).toContain('"cache_control"');
  });

  test('result.json has exactly the usage the API reported, cache writes counted once, under the snapshot it served', () => {
    const reported = success.standIn.reportedUsage();
    expect(reported[0].cached).toBeGreaterThan(0);
    expect(reported[0].cacheWrite).toBeGreaterThan(0);
    expect(success.run.result?.modelUsage).toEqual(reported);
    expect(success.run.result?.modelUsage.map((usage: { model: string }) => usage.model)).toEqual([SNAPSHOT(REQUESTED)]);
    // What Aider printed (LiteLLM's response, under --verbose) agrees with the gateway's figures: the cross-check.
    const { run } = success;
    expect(agentAdapter('aider').report({ requestedModel: REQUESTED, stdout: run.transcript ?? '', stderr: run.stderr ?? '', exitCode: run.exitCode }).usage).toEqual(reported);
    for (const text of [run.transcript, run.stderr, run.workerLog, JSON.stringify(run.result)]) {
      expect(text).not.toContain(API_KEY);
    }
  });
});

describe('provider failures end the run failed with the reason Aider printed, though Aider exits 0', () => {
  test.each(Object.keys(REASONS) as ProviderFailure[])('%s', (failure) => {
    const run = failures.get(failure)!;
    // Aider itself exited 0: the failure comes from what it printed.
    expect(run.workerLog).toMatch(/"message":"aider exited","exitCode":0,/);
    expect(run.result).toMatchObject({ status: 'failed' });
    expect(run.result?.error).toMatch(REASONS[failure]);
    expect(run.commit).toBeUndefined();
  });
});
