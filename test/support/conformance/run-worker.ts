import * as fs from 'fs';
import * as path from 'path';
import { taskConditions, type PlatformVariant } from './task-conditions';
import { ArtifactStore } from '../../../runtime/adapters/artifact-store';
import { S3Bucket } from '../../../runtime/adapters/s3-bucket';
import type { AgentName } from '../../../runtime/contracts/agent-names';
import { buildAssignment } from '../../../runtime/core/handoff/assignment';
import { installCli } from '../../../runtime/local/kit/cli-install';
import { GIT_HOSTNAME, GitServer, type BranchCommit } from '../../../runtime/local/kit/git-server';
import { Sandbox, type Endpoint } from '../../../runtime/local/kit/sandbox/sandbox';
import type { TaskConditions } from '../../../runtime/local/kit/task-conditions';
import { newDispatchId } from '../../worker/support/ids';
import { createBucket } from '../../worker/support/s3';
import { sealedWorker } from '../moto-kms';
import { startMoto } from '../moto-server';

const REPOSITORY_ROOT = path.join(__dirname, '..', '..', '..');
const WORKER_SCRIPT = path.join(REPOSITORY_ROOT, 'assets', 'worker', 'worker.js');
const BUCKET = 'outpost-artifacts';
/** The Region the task runs in (Fargate's AWS_REGION). */
export const TASK_REGION = 'us-east-1';
const REGION = TASK_REGION;
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
/**
 * What the worker holds in place of the task role's credentials (ECS serves those; moto takes any): distinct values,
 * since the worker masks the secret key wherever it writes. The Bedrock stand-in accepts only requests signed with them.
 */
export const TASK_ROLE_CREDENTIALS = { accessKeyId: 'AKIACONFORMANCETASKROLE', secretAccessKey: 'conformance-task-role-secret-access-key' } as const;
const S3_HOSTNAME = 's3.outpost.test';
const KMS_HOSTNAME = 'kms.outpost.test';
/** The ports the sandbox reaches the harness's own servers on (the forwarders inside run as root). */
const GIT_INSIDE_PORT = 443;
const S3_INSIDE_PORT = 80;
const KMS_INSIDE_PORT = 4080;
/** Where a script agent is placed in the image. */
const SCRIPT_AGENT_DIRECTORY = '/opt/outpost/conformance';
const SCRIPT_AGENT_PATH = `${SCRIPT_AGENT_DIRECTORY}/agent`;
/** Until the health check passes: node's start-up on a loaded machine. */
const HEALTHY_TIMEOUT_MS = 15_000;

export interface ConformanceOptions {
  readonly agent: AgentName;
  readonly model: string;
  readonly prompt: string;
  /** The platform whose task definition gives the task's conditions (task-conditions.ts). @default 'default' */
  readonly platform?: PlatformVariant;
  /** Servers of the test to expose inside (a provider stand-in): name → 127.0.0.1:hostPort outside, insidePort inside. */
  readonly endpoints?: Readonly<Record<string, Endpoint>>;
  /** Variables added to the task's (a provider's base URL and API key). */
  readonly env?: Readonly<Record<string, string>>;
  /** PEM of a CA to add to the sandbox's system bundle (a stand-in serving HTTPS). */
  readonly extraCa?: string;
  /** A script (host path) to run instead of the real CLI, as OUTPOST_AGENT_COMMAND: self-tests, hostile agents. */
  readonly agentCommand?: string;
  /** Scripts (host paths) the script agent runs, placed next to it under their own names. */
  readonly agentFiles?: readonly string[];
  /** The assignment's timeoutSeconds (60 at least). @default 120 */
  readonly timeoutSeconds?: number;
  /** A repository on the git server to clone and push to. @default true */
  readonly repository?: boolean;
  /** Files of the repository's seed commit. */
  readonly repositoryFiles?: Readonly<Record<string, string>>;
  /** Stop the task this long after the assignment is accepted, as StopTask does: SIGTERM to the container. */
  readonly cancelAfterSeconds?: number;
  /** Changes to the conditions read from the task definition and the images (to prove what they matter for). */
  readonly taskConditions?: (conditions: TaskConditions) => TaskConditions;
  /** Files in the task's writable volumes (container paths) to read once the worker has exited: what an agent left. */
  readonly collectFiles?: readonly string[];
  /** Read every file of the task's writable volumes once the worker has exited (`volumeFiles`). */
  readonly collectVolumes?: boolean;
}

/** The secrets the run's worker held, for tests that look for them where they must not be. */
export interface RunSecrets {
  /** The git credential: the harness's git server accepts only this token. */
  readonly gitToken: string;
  /** The worker token in clear, and the ciphertext the RunTask override carries. */
  readonly workerToken: string;
  readonly workerTokenCiphertext: string;
  /** The presigned POST's signature and its policy document. */
  readonly uploadSignature: string;
  readonly uploadPolicy: string;
}

export interface ConformanceRun {
  readonly dispatchId: string;
  /** result.json's status, or undefined when the worker uploaded none. */
  readonly status: string | undefined;
  /** The worker process's exit code. */
  readonly exitCode: number;
  /** result.json as the worker uploaded it through the presigned POST. */
  readonly result: Record<string, any> | undefined;
  /** The tip of `outpost/<dispatchId>` on the git server, if the worker pushed it. */
  readonly commit?: BranchCommit;
  /** Everything the worker (and the sandbox) printed. */
  readonly workerLog: string;
  readonly transcript?: string;
  readonly stderr?: string;
  /** The names under the dispatch's artifact prefix. */
  readonly artifacts: string[];
  /** Pushes the git server saw, with their HTTP status. */
  readonly pushes: ReadonlyArray<{ repository: string; status: number }>;
  /** The collectFiles, by container path: undefined for one that did not exist. */
  readonly files: Readonly<Record<string, string | undefined>>;
  /** With collectVolumes: every file the task's volumes held at the end, by container path. */
  readonly volumeFiles: Readonly<Record<string, string>>;
  readonly secrets: RunSecrets;
}

/**
 * One dispatch, end to end, as production runs it: the real bundled worker in the agent's container
 * conditions (sandbox.ts), the assignment and presigned upload built by the control plane's own code, a
 * repository on an HTTPS git server reached with a token, and the result read back from S3 (moto).
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceRun> {
  if (!fs.existsSync(WORKER_SCRIPT)) {
    throw new Error(`${WORKER_SCRIPT} is missing: run \`npx projen bundle:runtime\` first`);
  }
  const adjust = options.taskConditions ?? ((conditions: TaskConditions) => conditions);
  const conditions = adjust(taskConditions(options.agent, options.platform));
  const taken = Object.keys(options.endpoints ?? {}).filter((name) => ['git', 's3', 'kms'].includes(name));
  if (taken.length > 0) {
    throw new Error(`runConformance: endpoint names ${taken.join(', ')} are the harness's own (its git server, S3 and KMS); choose others`);
  }
  // ECS does not start a task whose secret it cannot fetch: the test supplies each one's value.
  const missingSecrets = conditions.secretNames.filter((name) => options.env?.[name] === undefined);
  if (missingSecrets.length > 0) {
    throw new Error(`runConformance: the ${options.agent} task definition injects ${missingSecrets.join(', ')} from Secrets Manager; pass a test value in \`env\``);
  }
  const cli = options.agentCommand ? undefined : await installCli(options.agent);
  const dispatchId = newDispatchId();
  const gitToken = `ghs_conformance${dispatchId}`;
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const git = await GitServer.start(gitToken);
    cleanups.push(() => git.stop());
    // Moto takes requests for a host name it does not know as S3 only when told so.
    const moto = await startMoto({ MOTO_S3_CUSTOM_ENDPOINTS: `http://${S3_HOSTNAME}` });
    cleanups.push(() => moto.stop());
    await createBucket(moto.endpoint, BUCKET);
    // The control plane seals the worker's token with the platform's key; the worker opens it with moto's KMS.
    const { token: workerToken, env: sealedEnv } = await sealedWorker('outpost', moto.endpoint);
    const repository = options.repository === false ? undefined : git.createRepository('outpost/conformance', options.repositoryFiles);

    const insideBucket = new S3Bucket(BUCKET, `http://${S3_HOSTNAME}/${BUCKET}`, { region: REGION, credentials: async () => CREDENTIALS });
    const upload = await new ArtifactStore(insideBucket).presignUpload(dispatchId, { expiresSeconds: 3600 });
    const assignment = buildAssignment({
      id: dispatchId,
      agent: options.agent,
      model: options.model,
      prompt: options.prompt,
      repository: repository ? { url: git.url(repository, GIT_INSIDE_PORT), baseBranch: 'main' } : undefined,
      workspace: { kind: 'ephemeral' },
      timeoutSeconds: options.timeoutSeconds ?? 120,
    }, upload, { token: gitToken });

    const sandbox = await Sandbox.start({
      conditions,
      cli,
      endpoints: {
        ...options.endpoints,
        git: { hostPort: git.port, insidePort: GIT_INSIDE_PORT, hostnames: [GIT_HOSTNAME] },
        s3: { hostPort: Number(new URL(moto.endpoint).port), insidePort: S3_INSIDE_PORT, hostnames: [S3_HOSTNAME] },
        kms: { hostPort: Number(new URL(moto.endpoint).port), insidePort: KMS_INSIDE_PORT, hostnames: [KMS_HOSTNAME] },
      },
      inboundPort: Number(conditions.environment.OUTPOST_WORKER_PORT ?? 8080),
      env: {
        // What Fargate adds to every task, and the control plane's RunTask override.
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE',
        OUTPOST_WORKER_TOKEN_CIPHERTEXT: sealedEnv.OUTPOST_WORKER_TOKEN_CIPHERTEXT,
        OUTPOST_CLUSTER: sealedEnv.OUTPOST_CLUSTER,
        // Moto's KMS, and the task role's stand-in credentials.
        AWS_ENDPOINT_URL_KMS: `http://${KMS_HOSTNAME}:${KMS_INSIDE_PORT}`,
        AWS_ACCESS_KEY_ID: TASK_ROLE_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TASK_ROLE_CREDENTIALS.secretAccessKey,
        ...(options.agentCommand && { OUTPOST_AGENT_COMMAND: SCRIPT_AGENT_PATH }),
        ...options.env,
      },
      extraFiles: options.agentCommand ? [
        { path: SCRIPT_AGENT_PATH, source: options.agentCommand, mode: 0o755 },
        ...(options.agentFiles ?? []).map((file) => ({
          path: path.posix.join(SCRIPT_AGENT_DIRECTORY, path.basename(file)), source: file, mode: 0o755,
        })),
      ] : [],
      extraCa: [git.caCertificate, options.extraCa ?? ''].join('\n'),
      command: ['node', '/opt/outpost/worker/worker.js'],
    });
    cleanups.push(() => sandbox.dispose());

    await waitUntilHealthy(sandbox, conditions.healthCheck);
    const accepted = await sandbox.request('POST', '/assignment', JSON.stringify(assignment), {
      'content-type': 'application/json', 'authorization': `Bearer ${workerToken}`,
    });
    if (accepted.status !== 202) {
      throw new Error(`the worker refused the assignment: HTTP ${accepted.status} ${accepted.body}\n${sandbox.log}`);
    }
    const cancel = options.cancelAfterSeconds === undefined ? undefined
      : setTimeout(() => sandbox.signal('SIGTERM'), options.cancelAfterSeconds * 1000);
    const exitCode = await withTimeout(sandbox.exited, ((options.timeoutSeconds ?? 120) + 60) * 1000, () => `the worker did not exit:\n${sandbox.log}`);

    clearTimeout(cancel);
    const files = Object.fromEntries((options.collectFiles ?? []).map((file) => [file, sandbox.volumeFile(file)]));
    const volumeFiles = options.collectVolumes ? sandbox.volumeFiles() : {};
    const hostBucket = new S3Bucket(BUCKET, `${moto.endpoint}/${BUCKET}`, { region: REGION, credentials: async () => CREDENTIALS });
    const artifacts = (await new ArtifactStore(hostBucket).list(dispatchId)).map((object) => object.name).sort();
    const read = async (name: string) => (artifacts.includes(name) ? (await hostBucket.getObject(`${upload.keyPrefix}${name}`)).text() : undefined);
    const resultText = await read('result.json');
    const result = resultText === undefined ? undefined : JSON.parse(resultText) as Record<string, any>;
    return {
      dispatchId,
      status: result?.status,
      exitCode,
      result,
      commit: repository ? await git.commit(repository, `outpost/${dispatchId}`) : undefined,
      workerLog: sandbox.log,
      transcript: await read('transcript.log'),
      stderr: await read('stderr.log'),
      artifacts,
      pushes: [...git.pushes],
      files,
      volumeFiles,
      secrets: {
        gitToken,
        workerToken,
        workerTokenCiphertext: sealedEnv.OUTPOST_WORKER_TOKEN_CIPHERTEXT,
        uploadSignature: upload.fields['X-Amz-Signature'],
        uploadPolicy: upload.fields.Policy,
      },
    };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup();
    }
  }
}

/**
 * Runs the task definition's health check in the container until it passes, as ECS does before it reports
 * the task healthy; the worker is then listening for its assignment.
 */
async function waitUntilHealthy(sandbox: Sandbox, healthCheck: readonly string[]): Promise<void> {
  const [kind, ...command] = healthCheck;
  if (kind !== 'CMD' && kind !== 'CMD-SHELL') {
    throw new Error(`the task definition's health check ${JSON.stringify(healthCheck)} is neither CMD nor CMD-SHELL`);
  }
  const argv = kind === 'CMD' ? command : ['/bin/sh', '-c', command.join(' ')];
  const deadline = Date.now() + HEALTHY_TIMEOUT_MS;
  for (;;) {
    const check = await sandbox.exec(argv);
    if (check.exitCode === 0) {
      return;
    }
    const exited = await Promise.race([sandbox.exited, new Promise((resolve) => setTimeout(resolve, 100, 'running'))]);
    if (exited !== 'running' || Date.now() > deadline) {
      const why = exited === 'running' ? `still failing after ${HEALTHY_TIMEOUT_MS} ms` : `the worker exited with ${String(exited)}`;
      throw new Error(`the health check ${JSON.stringify(healthCheck)} never passed (${why}): ${check.output}\n${sandbox.log}`);
    }
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message())), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
