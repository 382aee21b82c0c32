import { bedrockServedModel, startBedrockStandIn, type BedrockStandIn } from '../../runtime/local/kit/providers/bedrock';
import type { ProviderFailure } from '../../runtime/local/kit/providers/stand-in';
import { allSettled } from '../support/conformance/all-settled';
import { cliUsage } from '../support/conformance/cli-usage';
import { runThroughGateway } from '../support/conformance/gateway-run';
import { TASK_REGION, TASK_ROLE_CREDENTIALS, type ConformanceRun } from '../support/conformance/run-worker';
import { taskConditions } from '../support/conformance/task-conditions';

/*
 * Claude Code 2.1.332 on Amazon Bedrock (`Agent.claude({ useBedrock: true })`), installed as its image installs it,
 * run by the bundled worker in the conditions of the task definition a platform with `useBedrock` synthesizes
 * (CLAUDE_CODE_USE_BEDROCK and ANTHROPIC_MODEL set, no API-key secret). Claude Code reaches Bedrock as production
 * does: through the worker's model gateway (its ANTHROPIC_BEDROCK_BASE_URL, with CLAUDE_CODE_SKIP_BEDROCK_AUTH), which
 * signs each request with the task role's credentials and forwards it over TLS to the Bedrock stand-in, which checks
 * the signature as Bedrock would.
 */
const INSIDE_PORT = 9000;
const EDIT = { file: 'conformance-edit.txt', content: 'written by Claude Code on Bedrock through the stand-in\n' };
/** Claude Code prints its environment with its Bash tool first: the output comes back to the stand-in. */
const PROBE = 'env | sort';
const CONDITIONS = taskConditions('claude', 'claude-on-bedrock');
/** The model the task definition gives Claude Code, which the control plane also dispatches by default. */
const MODEL = CONDITIONS.environment.ANTHROPIC_MODEL;

jest.setTimeout(300_000);

async function dispatch(standIn: BedrockStandIn, env: Record<string, string> = {}): Promise<ConformanceRun> {
  return runThroughGateway({ provider: 'bedrock', standIn, apiKey: undefined, insidePort: INSIDE_PORT }, {
    agent: 'claude',
    platform: 'claude-on-bedrock',
    model: MODEL,
    prompt: `Write ${EDIT.file}`,
    env,
  });
}

/** The probe's output, as Claude Code sent it back in its next request (the Bash tool's result). */
function probeOutput(standIn: BedrockStandIn): string {
  const results = standIn.requests.flatMap((request) => ((request.body as any)?.messages ?? []) as any[])
    .flatMap((message) => (Array.isArray(message?.content) ? message.content : []))
    .filter((block: any) => block?.type === 'tool_result' && block.tool_use_id === 'toolu_standin0003');
  if (results.length === 0) {
    throw new Error(`Claude Code never returned the probe's output: ${JSON.stringify(standIn.requests.map((request) => request.path))}`);
  }
  const content = results[0].content;
  return typeof content === 'string' ? content : (content as any[]).map((block) => String(block?.text ?? '')).join('\n');
}

/** What Claude Code 2.1.332 printed for each failure, Bedrock's message passed on (bedrock.ts FAILURES). */
const REASONS: Record<ProviderFailure, RegExp> = {
  'unauthorized': /\(HTTP 403\): .*is not authorized to perform: bedrock:InvokeModelWithResponseStream/,
  'throttled': /\(HTTP 429\): .*Too many requests, please wait before trying again\. \(stand-in\)/,
  'server-error': /\(HTTP 500\): .*internal error while processing the request\. \(stand-in\)/,
  // A 404 Claude Code words itself, naming the model, and drops Bedrock's message.
  'gone': /\(HTTP 404\): There's an issue with the selected model \(us\.anthropic\.claude-[^)]+\)\. It may not exist or you may not have access to it\./,
};

const standIns: BedrockStandIn[] = [];
let edited: { standIn: BedrockStandIn; run: ConformanceRun };
const failures = new Map<ProviderFailure, { standIn: BedrockStandIn; run: ConformanceRun }>();

beforeAll(async () => {
  const run = async (options: { failure?: ProviderFailure; probe?: string; env?: Record<string, string> }) => {
    const { failure, probe } = options;
    const standIn = await startBedrockStandIn({ region: TASK_REGION, credentials: TASK_ROLE_CREDENTIALS, edit: EDIT, failure, probe });
    standIns.push(standIn);
    return { standIn, run: await dispatch(standIn, options.env) };
  };
  await allSettled([
    run({ probe: PROBE }).then((outcome) => { edited = outcome; }),
    // One retry instead of ten, so that a failure ends in seconds.
    ...(Object.keys(REASONS) as ProviderFailure[]).map((failure) => run({ failure, env: { CLAUDE_CODE_MAX_RETRIES: '1' } })
      .then((outcome) => { failures.set(failure, outcome); })),
  ]);
});
afterAll(() => Promise.all(standIns.map((standIn) => standIn.stop())));

describe('the task definition of a platform with useBedrock', () => {
  test('has Claude Code on Bedrock with an inference profile, and no API-key secret', () => {
    expect(CONDITIONS.environment.CLAUDE_CODE_USE_BEDROCK).toBe('1');
    expect(MODEL).toMatch(/^us\.anthropic\.claude-/);
    expect(CONDITIONS.secretNames).toEqual([]);
  });
});

describe('Claude Code on Bedrock through the gateway', () => {
  test('the run succeeds and commits the file Claude Code wrote with its Write tool', () => {
    expect(edited.run.result).toMatchObject({ status: 'succeeded', exitCode: 0, error: null, model: MODEL });
    expect(edited.run.commit?.branch).toBe(`outpost/${edited.run.dispatchId}`);
    expect(edited.run.commit?.files[EDIT.file]).toBe(EDIT.content);
  });

  test('every request reached the stand-in signed with the task role\'s keys, none unsigned', () => {
    expect(edited.standIn.requests.length).toBeGreaterThanOrEqual(3);
    for (const request of [...edited.standIn.requests, ...[...failures.values()].flatMap(({ standIn }) => standIn.requests)]) {
      expect({ path: request.path, signed: request.signed, accessKeyId: request.accessKeyId })
        .toEqual({ path: request.path, signed: true, accessKeyId: TASK_ROLE_CREDENTIALS.accessKeyId });
    }
  });

  test('it streams every turn from the model the task definition names (the inference profile id, in the path), and nothing else arrives', () => {
    // Claude Code 2.1.332 puts the id in the path unencoded (`…-v1:0`); the gateway signs the path as it forwards it.
    const path = `POST /model/${MODEL}/invoke-with-response-stream`;
    expect(edited.standIn.requests.map((request) => request.path)).toEqual([path, path, path]);
    // Bedrock's body: the Messages body with anthropic_version, the model and the streaming switch in the path.
    for (const { body } of edited.standIn.requests) {
      expect(body).toMatchObject({ anthropic_version: 'bedrock-2023-05-31' });
      expect(body).not.toHaveProperty('model');
      expect(body).not.toHaveProperty('stream');
    }
  });

  test('result.json has exactly the usage Bedrock reported, as the gateway metered the event stream; Claude Code agrees', () => {
    expect(edited.run.result?.modelUsage).toEqual(edited.standIn.reportedUsage());
    expect(edited.run.result?.modelUsage.map((usage: { model: string }) => usage.model)).toEqual([bedrockServedModel(MODEL)]);
    expect(cliUsage('claude', edited.run)).toEqual(edited.standIn.reportedUsage());
  });

  test('Claude Code held no AWS credentials: its environment has the gateway\'s base URL and no key, token or credentials URI', () => {
    const environment = probeOutput(edited.standIn);
    expect(environment).toMatch(/^CLAUDE_CODE_USE_BEDROCK=1$/m);
    expect(environment).toMatch(/^CLAUDE_CODE_SKIP_BEDROCK_AUTH=1$/m);
    expect(environment).toMatch(/^ANTHROPIC_BEDROCK_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/bedrock$/m);
    const names = environment.match(/^[A-Z_][A-Z0-9_]*(?==)/gm) ?? [];
    // The Region it keeps (Claude Code needs it); never a credential in any form.
    expect(names).toContain('AWS_REGION');
    const credentials = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'AWS_PROFILE', 'AWS_BEARER_TOKEN_BEDROCK'];
    expect(names.filter((name) => credentials.includes(name))).toEqual([]);
    expect(environment).not.toContain(TASK_ROLE_CREDENTIALS.accessKeyId);
  });

  test('the task role\'s secret key is nowhere in what the run wrote', () => {
    const runs = [edited.run, ...[...failures.values()].map(({ run }) => run)];
    for (const run of runs) {
      for (const text of [run.transcript, run.stderr, run.workerLog, JSON.stringify(run.result)]) {
        expect(text).not.toContain(TASK_ROLE_CREDENTIALS.secretAccessKey);
        expect(text).not.toContain(Buffer.from(TASK_ROLE_CREDENTIALS.secretAccessKey).toString('base64'));
      }
    }
  });
});

describe('what Claude Code sends besides its model calls', () => {
  test('its ListInferenceProfiles (GET /inference-profiles, to map aliases) is answered by the gateway with 403, never signed or forwarded', () => {
    expect(edited.run.workerLog).toMatch(/bedrock: not forwarded.*"path":"\/inference-profiles"/);
    expect(edited.standIn.requests.some((request) => request.path.includes('inference-profiles'))).toBe(false);
  });
});

describe('a Bedrock failure ends the run failed with the reason Claude Code reported', () => {
  test.each(Object.keys(REASONS) as ProviderFailure[])('%s', (failure) => {
    const { run, standIn } = failures.get(failure)!;
    expect(standIn.requests.length).toBeGreaterThan(0);
    expect(run.result).toMatchObject({ status: 'failed' });
    expect(run.result?.error).toMatch(REASONS[failure]);
    expect(run.commit).toBeUndefined();
  });
});
