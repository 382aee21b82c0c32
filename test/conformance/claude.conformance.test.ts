import { startAnthropicStandIn } from '../../runtime/local/kit/providers/anthropic';
import { type ProviderFailure, type ProviderStandIn } from '../../runtime/local/kit/providers/stand-in';
import { allSettled } from '../support/conformance/all-settled';
import { cliUsage } from '../support/conformance/cli-usage';
import { runThroughGateway } from '../support/conformance/gateway-run';
import type { ConformanceRun } from '../support/conformance/run-worker';

/*
 * Claude Code 2.1.332, installed as its image installs it, run by the bundled worker in the task's
 * conditions (read-only root, HOME and the workspace writable, the image's ENV) against the Anthropic
 * stand-in. Claude Code reaches it as production does: through the worker's model gateway (its ANTHROPIC_BASE_URL,
 * holding a placeholder key), which adds the task's key and forwards over TLS (the stand-in behind a test CA).
 */
const API_KEY = 'sk-ant-conformance-5d21c7';
const INSIDE_PORT = 9000;
const EDIT = { file: 'conformance-edit.txt', content: 'written by Claude Code through the stand-in\n' };
/** The API answers an alias with the snapshot it resolves to. */
const SNAPSHOT = (requested: string) => `${requested}-20261107`;

jest.setTimeout(300_000);

async function dispatch(standIn: ProviderStandIn, model: string, env: Record<string, string> = {}): Promise<ConformanceRun> {
  return runThroughGateway({ provider: 'anthropic', standIn, apiKey: API_KEY, insidePort: INSIDE_PORT }, {
    agent: 'claude',
    model,
    prompt: `Write ${EDIT.file}`,
    env,
  });
}

/** What Claude Code 2.1.332 printed for each failure, with the stand-in's message where it passes it on. */
const REASONS: Record<ProviderFailure, RegExp> = {
  'unauthorized': /\(HTTP 401\): Invalid API key/,
  'throttled': /\(HTTP 429\): .*per-minute rate limit \(stand-in\)/,
  'server-error': /\(HTTP 500\): .*Internal server error \(stand-in\)/,
  'gone': /\(HTTP 410\): .*claude-sonnet-4-5 has been retired \(stand-in\)/,
};

const standIns: ProviderStandIn[] = [];
let sonnet: { standIn: ProviderStandIn; run: ConformanceRun };
let retired: { standIn: ProviderStandIn; run: ConformanceRun };
let delegated: { standIn: ProviderStandIn; run: ConformanceRun };
const failures = new Map<ProviderFailure, ConformanceRun>();

/** Every run at once: each has its own stand-in, sandbox, git server and moto. */
beforeAll(async () => {
  type Options = { failure?: ProviderFailure; delegateTo?: string; env?: Record<string, string> };
  const run = async (model: string, { env, ...standInOptions }: Options = {}) => {
    const standIn = await startAnthropicStandIn({ apiKey: API_KEY, edit: EDIT, servedModel: SNAPSHOT, ...standInOptions });
    standIns.push(standIn);
    return { standIn, run: await dispatch(standIn, model, env) };
  };
  await allSettled([
    run('claude-sonnet-4-5').then((outcome) => { sonnet = outcome; }),
    run('claude-opus-4-1').then((outcome) => { retired = outcome; }),
    run('claude-sonnet-4-5', { delegateTo: 'haiku' }).then((outcome) => { delegated = outcome; }),
    // One retry instead of ten (the stream's api_retry lines show max_retries), so that a failure ends in seconds.
    ...(Object.keys(REASONS) as ProviderFailure[]).map((failure) => run('claude-sonnet-4-5', { failure, env: { CLAUDE_CODE_MAX_RETRIES: '1' } })
      .then((outcome) => { failures.set(failure, outcome.run); })),
  ]);
});
afterAll(() => Promise.all(standIns.map((standIn) => standIn.stop())));

describe('Claude Code against the Messages API', () => {
  test('the run succeeds and exits 0', () => {
    expect(sonnet.run.result).toMatchObject({ status: 'succeeded', exitCode: 0, error: null });
    expect(sonnet.run.exitCode).toBe(0);
    expect(sonnet.run.artifacts).toContain('result.json');
  });

  test('the file Claude Code wrote with its Write tool is committed on outpost/<dispatchId>', () => {
    expect(sonnet.run.commit?.branch).toBe(`outpost/${sonnet.run.dispatchId}`);
    expect(sonnet.run.commit?.files[EDIT.file]).toBe(EDIT.content);
  });

  test('it sends nothing but the two turns: the tool call, then the answer to its result', () => {
    // No connectivity check, model listing or token counting: the image's CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC.
    expect(sonnet.standIn.requests.map((request) => `${request.path} ${request.model}`)).toEqual([
      'POST /v1/messages claude-sonnet-4-5', 'POST /v1/messages claude-sonnet-4-5',
    ]);
  });

  test('result.json has exactly the usage the API reported, as the gateway metered it, under the snapshot it served', () => {
    expect(sonnet.run.result?.modelUsage).toEqual(sonnet.standIn.reportedUsage());
    // Claude Code's own figures agree: the cross-check.
    expect(cliUsage('claude', sonnet.run)).toEqual(sonnet.standIn.reportedUsage());
    expect(sonnet.run.result?.modelUsage.map((usage: { model: string }) => usage.model)).toEqual(['claude-sonnet-4-5-20261107']);
  });

  test('a retired id is remapped by Claude Code itself, and the usage is under what it asked for and was served', () => {
    const asked = [...new Set(retired.standIn.requests.map((request) => request.model))];
    expect(asked).toHaveLength(1);
    expect(asked[0]).not.toBe('claude-opus-4-1');
    expect(retired.run.result).toMatchObject({ status: 'succeeded', model: 'claude-opus-4-1' });
    expect(retired.run.result?.modelUsage).toEqual(retired.standIn.reportedUsage());
    expect(cliUsage('claude', retired.run)).toEqual(retired.standIn.reportedUsage());
    expect(retired.run.result?.modelUsage.map((usage: { model: string }) => usage.model)).toEqual([SNAPSHOT(asked[0]!)]);
  });
});

describe('a run that hands the edit to a subagent on a small model', () => {
  test('uses two models, and result.json has exactly the usage the API reported for each, under the ids it served', () => {
    expect(delegated.run.result).toMatchObject({ status: 'succeeded' });
    expect(delegated.run.commit?.files[EDIT.file]).toBe(EDIT.content);
    const asked = [...new Set(delegated.standIn.requests.map((request) => request.model))];
    expect(asked).toHaveLength(2);
    expect(delegated.run.result?.modelUsage).toEqual(delegated.standIn.reportedUsage());
    const byModel = (a: { model: string }, b: { model: string }) => a.model.localeCompare(b.model);
    expect(cliUsage('claude', delegated.run)?.sort(byModel)).toEqual([...delegated.standIn.reportedUsage()].sort(byModel));
    const models = delegated.run.result?.modelUsage.map((usage: { model: string }) => usage.model);
    expect(models.sort()).toEqual(asked.map((model) => SNAPSHOT(model!)).sort());
  });
});

describe('provider failures end the run failed with the reason Claude Code reported', () => {
  test.each(Object.keys(REASONS) as ProviderFailure[])('%s', (failure) => {
    const run = failures.get(failure)!;
    expect(run.result).toMatchObject({ status: 'failed' });
    expect(run.result?.error).toMatch(REASONS[failure]);
    expect(run.commit).toBeUndefined();
  });
});

describe('the key', () => {
  test('the stand-in got the task\'s key (it answers nothing else); the CLI held the placeholder, and the key is nowhere in what the run wrote', () => {
    expect(sonnet.standIn.requests.length).toBeGreaterThan(0);
    for (const { run } of [sonnet, retired, delegated]) {
      for (const text of [run.transcript, run.stderr, run.workerLog, JSON.stringify(run.result)]) {
        expect(text).not.toContain(API_KEY);
        expect(text).not.toContain(Buffer.from(API_KEY).toString('base64'));
      }
    }
  });
});
