import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { PLACEHOLDER_KEY } from '../../runtime/worker/agents/gateway-route';
import { runConformance, type ConformanceOptions, type ConformanceRun } from '../support/conformance/run-worker';

/**
 * A hostile agent goes after what the worker holds (agents/hostile-agent.sh), after planting the git routes of
 * agents/hostile-git.sh: the worker runs it as another uid, without privileges, and kills what it leaves behind.
 */
const HOSTILE_AGENT = path.join(__dirname, 'agents', 'hostile-agent.sh');
const HOSTILE_GIT = path.join(__dirname, 'agents', 'hostile-git.sh');
const AGENT_LOOT = '/tmp/hostile-agent/loot';
const GIT_LOOT = '/tmp/hostile-git/loot';
const HEARTBEAT = '/tmp/hostile-agent/heartbeat';
const ESCAPEE_FINDINGS = '/tmp/hostile-agent/escapee-findings';
/** The claude task definition's secret, which ECS would inject: a test value. */
const PROVIDER_KEY = 'sk-ant-hostile-agent-provider-key-5e1f';
/**
 * Stand-ins for what ECS gives every task for its role's credentials (the SDK's container provider): the URI's
 * path is the secret (it names the task's credentials), and the authorization token that goes with FULL_URI.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
 */
const CREDENTIALS_ID = '7f0c2d9e-hostile-agent-credentials-id';
const CREDENTIALS_TOKEN = 'hostile-agent-container-authorization-token-31c8';
const CREDENTIALS_INSIDE_PORT = 9170;

jest.setTimeout(240_000);

/** The task-credentials endpoint's stand-in: answers only the secret path, with the secret token, and counts what it got. */
interface CredentialsRequest {
  readonly path: string;
  readonly authorization?: string;
}

async function credentialsEndpoint(): Promise<{ port: number; requests: CredentialsRequest[]; close: () => Promise<void> }> {
  const requests: CredentialsRequest[] = [];
  const server = http.createServer((request, response) => {
    requests.push({ path: request.url ?? '', authorization: request.headers.authorization });
    const granted = request.url === `/v2/credentials/${CREDENTIALS_ID}` && request.headers.authorization === CREDENTIALS_TOKEN;
    response.writeHead(granted ? 200 : 404, { 'content-type': 'application/json' });
    response.end(granted ? JSON.stringify({ AccessKeyId: 'AKIASTOLEN', SecretAccessKey: 'stolen', Token: 'stolen', Expiration: new Date(Date.now() + 3600_000).toISOString() }) : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** `finding <attack> <outcome>` lines of the agent's output (in the worker's log), each attack with every outcome it had. */
function findings(run: ConformanceRun): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const output = run.workerLog.split('\n').filter((text) => text.startsWith('{')).map((text) => JSON.parse(text))
    .filter((entry) => entry.step === 'agent' && entry.stream === 'stdout').map((entry) => entry.message).join('\n');
  for (const match of output.matchAll(/^finding (\S+) (.*)$/gm)) {
    (result[match[1]] ??= []).push(match[2]);
  }
  return result;
}

function publishStartedAt(run: ConformanceRun): number {
  const line = run.workerLog.split('\n').filter((text) => text.startsWith('{')).map((text) => JSON.parse(text))
    .find((entry) => entry.step === 'publish' && entry.message === 'started');
  if (!line) {
    throw new Error(`the worker never started publishing:\n${run.workerLog}`);
  }
  return Date.parse(line.time);
}

/** The hostile agent's run, against the credentials endpoint's stand-in on `credentialsPort`. */
function hostileRun(credentialsPort: number, taskConditions?: ConformanceOptions['taskConditions']): Promise<ConformanceRun> {
  return runConformance({
    agent: 'claude',
    model: 'conformance-model',
    prompt: 'Publish\n\nWrite hello.txt.',
    agentCommand: HOSTILE_AGENT,
    agentFiles: [HOSTILE_GIT],
    endpoints: { credentials: { hostPort: credentialsPort, insidePort: CREDENTIALS_INSIDE_PORT } },
    env: {
      ANTHROPIC_API_KEY: PROVIDER_KEY,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: `/v2/credentials/${CREDENTIALS_ID}`,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${CREDENTIALS_INSIDE_PORT}/v2/credentials/${CREDENTIALS_ID}`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: CREDENTIALS_TOKEN,
      // Generous to the attacker: it is told where the endpoint is, only not the path.
      HOSTILE_CREDENTIALS_PORT: String(CREDENTIALS_INSIDE_PORT),
    },
    collectFiles: [AGENT_LOOT, GIT_LOOT, HEARTBEAT, ESCAPEE_FINDINGS],
    collectVolumes: true,
    taskConditions,
  });
}

/** Each secret of the run, in clear or base64, found in a place the agent could read or write or the caller sees. */
function leaks(run: ConformanceRun): string[] {
  const secrets = {
    'git token': run.secrets.gitToken,
    'worker token': run.secrets.workerToken,
    'worker token ciphertext': run.secrets.workerTokenCiphertext,
    'upload policy signature': run.secrets.uploadSignature,
    'upload policy': run.secrets.uploadPolicy,
    'provider key': PROVIDER_KEY,
    'credentials URI': CREDENTIALS_ID,
    'credentials authorization token': CREDENTIALS_TOKEN,
  };
  const places: Record<string, string> = {
    ...Object.fromEntries(Object.entries(run.volumeFiles).map(([file, text]) => [`volume ${file}`, text])),
    'transcript': run.transcript ?? '',
    'stderr': run.stderr ?? '',
    'result.json': JSON.stringify(run.result ?? null),
    'pushed commit': JSON.stringify(run.commit ?? null),
    'worker log': run.workerLog,
  };
  // The loot is where the agent put everything it read.
  if (!places[`volume ${AGENT_LOOT}`]?.includes('== cmdline-worker')) {
    throw new Error(`the hostile agent left no loot at ${AGENT_LOOT}:\n${run.transcript}`);
  }
  const found: string[] = [];
  for (const [secret, value] of Object.entries(secrets)) {
    if (value.length < 8) {
      throw new Error(`the ${secret} is too short to look for: ${value}`);
    }
    for (const form of [value, Buffer.from(value).toString('base64')]) {
      found.push(...Object.entries(places).filter(([, text]) => text.includes(form)).map(([place]) => `${secret} in ${place}`));
    }
  }
  return [...new Set(found)];
}

describe('a hostile agent cannot reach what the worker holds (issue 15, separate identities)', () => {
  let run: ConformanceRun;
  let credentials: Awaited<ReturnType<typeof credentialsEndpoint>>;

  beforeAll(async () => {
    credentials = await credentialsEndpoint();
    run = await hostileRun(credentials.port);
  });
  afterAll(() => credentials?.close());

  test('the run still succeeds and pushes the agent\'s change', () => {
    expect({ status: run.status, exitCode: run.exitCode, error: run.result?.error }).toEqual({ status: 'succeeded', exitCode: 0, error: null });
    expect(run.commit?.files['hello.txt']).toBe('hello from a hostile agent\n');
    expect(run.pushes).toEqual([{ repository: '/outpost/conformance.git', status: 200 }]);
  });

  test('its environment holds none of the worker\'s variables: no provider key (the gateway\'s placeholder), no credentials URI', () => {
    expect(findings(run)['provider-key-base64']).toEqual([`${Buffer.from(PLACEHOLDER_KEY).toString('base64')}.`]);
    expect(PLACEHOLDER_KEY).not.toBe(PROVIDER_KEY);
    expect(findings(run)['credentials-uri']).toEqual(['.']);
  });

  test('/proc of every process not its own: environ, mem, fd and cwd denied, no signal reaches them', () => {
    const all = findings(run);
    const proc = Object.entries(all).filter(([attack]) => /^(environ|mem|fd|cwd|signal)-/.test(attack));
    // The worker is among them: the agent did look.
    expect(Object.keys(all)).toEqual(expect.arrayContaining(['environ-worker', 'mem-worker', 'fd-worker', 'cwd-worker', 'signal-worker']));
    expect(proc.filter(([, outcomes]) => outcomes.some((outcome) => outcome !== 'denied'))).toEqual([]);
    expect(all['userns-environ']).not.toContain('read');
  });

  test('the worker\'s files: its directory cannot be listed, read, written or renamed, nor the workspace root written', () => {
    expect(findings(run)).toMatchObject({
      'list-worker-directory': ['denied'],
      'worker-transcript': ['denied'],
      'worker-git-config': ['denied'],
      'worker-git-head': ['denied'],
      'write-transcript': ['denied'],
      'rename-worker-directory': ['denied'],
      'write-workspace-root': ['denied'],
    });
  });

  test('the worker\'s port refuses it without the bearer token', () => {
    expect(findings(run)['worker-port']).toEqual(['HTTP/1.1_401_Unauthorized']);
  });

  test('the task-credentials endpoint: it could only guess, and never asked for the task\'s credentials', () => {
    expect(credentials.requests.length).toBeGreaterThan(0);
    const knowing = credentials.requests.filter((request) => request.path.includes(CREDENTIALS_ID) || request.authorization === CREDENTIALS_TOKEN);
    expect(knowing).toEqual([]);
  });

  test('set-uid programs give nothing back: no_new_privs, an empty bounding set, mount and su refused', () => {
    expect(findings(run)).toMatchObject({
      'no-new-privs': ['1'],
      'cap-bounding': ['0000000000000000'],
      'setuid-mount': ['denied'],
      'setuid-su': ['denied'],
    });
  });

  test('the setsid escapee left the agent\'s session, was killed by uid before the push, and never saw git', () => {
    expect(findings(run).escapee).toEqual(['running-in-its-own-session']);
    const heartbeats = (run.files[HEARTBEAT] ?? '').trim().split('\n').map(Number);
    expect(heartbeats.length).toBeGreaterThan(0);
    expect(Math.max(...heartbeats)).toBeLessThan(publishStartedAt(run));
    expect(run.workerLog).toContain('killed processes the agent left behind');
    expect(run.files[ESCAPEE_FINDINGS]).toBeUndefined();
  });

  test('no git route it planted ran in the worker\'s git: the only loot is its own control line', () => {
    const routes = (run.files[GIT_LOOT] ?? '').split('\n').map((line) => /^loot (\S+)$/.exec(line)?.[1]).filter((route) => route !== undefined);
    expect(routes).toEqual(['canary']);
  });

  test('no secret, in clear or base64, is anywhere the agent could read or write, nor in the logs, transcript, result.json or the pushed commit', () => {
    expect(leaks(run)).toEqual([]);
  });
});

describe('the identities matter', () => {
  test('with the worker under the agent\'s uid (the task definition before issue 15), the same agent reads the worker\'s secrets', async () => {
    const credentials = await credentialsEndpoint();
    try {
      const shared = await hostileRun(credentials.port, (conditions) => ({ ...conditions, uid: 1000, gid: 1000, capabilities: [] }));
      // Sharing a uid, it also moves the worker's directory away: no transcript is uploaded, the log has its findings.
      // (mem may still be closed by the host's Yama ptrace_scope, which a task cannot count on.)
      expect(findings(shared)).toMatchObject({ 'environ-worker': ['read'], 'fd-worker': ['read'], 'rename-worker-directory': ['allowed'] });
      expect(leaks(shared)).toEqual(expect.arrayContaining([
        `worker token ciphertext in volume ${AGENT_LOOT}`,
        `credentials URI in volume ${AGENT_LOOT}`,
        `provider key in volume ${AGENT_LOOT}`,
      ]));
    } finally {
      await credentials.close();
    }
  });
});
