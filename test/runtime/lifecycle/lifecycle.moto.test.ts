import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { CreateFileSystemCommand, EFSClient } from '@aws-sdk/client-efs';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ArtifactStore } from '../../../runtime/adapters/artifact-store';
import { DispatchRepository } from '../../../runtime/adapters/dispatch-repository';
import { gitCredentialSource } from '../../../runtime/adapters/git-credential-sources';
import { PoolRepository } from '../../../runtime/adapters/pool-repository';
import { S3Bucket } from '../../../runtime/adapters/s3-bucket';
import { WorkerClient, type WorkerAddress } from '../../../runtime/adapters/worker-client';
import { WorkerLauncher } from '../../../runtime/adapters/worker-launcher';
import type { WorkerTokenCipher } from '../../../runtime/adapters/worker-token-cipher';
import { WorkspaceAccessPoints } from '../../../runtime/adapters/workspace-access-points';
import { WorkspaceRepository } from '../../../runtime/adapters/workspace-repository';
import { WorkspaceTaskDefinitions } from '../../../runtime/adapters/workspace-task-definitions';
import type { Assignment } from '../../../runtime/contracts/assignment';
import type { PlatformConfig } from '../../../runtime/core/config';
import type { Dispatch } from '../../../runtime/core/dispatch/dispatch';
import { parseTaskStateChange, type TaskState } from '../../../runtime/core/tasks/task-event';
import { startCold } from '../../../runtime/services/cold-start';
import { holdWorkspace, type HeldWorkspace } from '../../../runtime/services/hold-workspace';
import type { LifecycleDeps } from '../../../runtime/services/lifecycle-deps';
import { provisionAccessPoint } from '../../../runtime/services/provision-access-point';
import { releaseWorkspaceOfStoppedTask } from '../../../runtime/services/release-workspace';
import { createAndStart } from '../../../runtime/services/start-dispatch';
import { sweep } from '../../../runtime/services/sweep';
import { onTaskReady, RetryLater } from '../../../runtime/services/task-ready';
import { onTaskStopped } from '../../../runtime/services/task-stopped';
import type { ProvisionDeps, WorkspaceDeps } from '../../../runtime/services/workspace-deps';
import { measureWorkspace } from '../../../runtime/worker/workspace-size';
import { runningTaskEvent, taskEvent } from '../../support/ecs-events';
import { FakeGitHub } from '../../support/fake-github';
import { createPlatformKey, decryptWithSdk, motoWorkerTokenCipher } from '../../support/moto-kms';
import { MotoServer, startMoto } from '../../support/moto-server';
import { bundleWorker, fakeAgent, freePort, WorkerProcess } from '../../worker/support/worker-process';
import { ALICE, queued } from '../dispatch/support/dispatches';
import { createPlatformTables, INDEXES, type TableNames } from '../dispatch/support/platform-tables';
import { createAgentCluster } from '../pool/moto-cluster';
import { createAgentNetwork } from '../pool/moto-network';

const BUCKET = 'outpost-artifacts';

/**
 * Full lifecycles against moto (DynamoDB, S3, ECS) with the real worker (bundled as it ships) taking the
 * pushes on loopback, and ECS task state changes fed in as EventBridge delivers them.
 */
describe('dispatch lifecycle (moto + the real worker)', () => {
  let moto: MotoServer;
  let home: string;
  let bundle: string;
  let deps: LifecycleDeps;
  let tokens: WorkerTokenCipher;
  let tables: TableNames;
  let documents: DynamoDBDocumentClient;
  let ecs: ECSClient;
  let s3: S3Client;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    moto = await startMoto();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-lifecycle-'));
    bundle = await bundleWorker(path.join(home, 'worker.js'));
  });
  afterAll(async () => {
    await moto.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });
  afterEach(() => workers.splice(0).forEach((worker) => worker.kill()));

  beforeEach(async () => {
    await moto.reset();
    const dynamodb = new DynamoDBClient({});
    tables = await createPlatformTables(dynamodb);
    ecs = new ECSClient({});
    s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const network = await createAgentNetwork(moto.endpoint);
    const taskDefinitionArn = await createAgentCluster(ecs, 'codex');
    const config: PlatformConfig = {
      tables: { ...tables, indexes: { ...INDEXES, byAgentState: 'byAgentState' } },
      cluster: 'outpost',
      workerTokenKey: await createPlatformKey(),
      subnets: [network.subnetId],
      securityGroups: [network.securityGroupId],
      workerPort: 0, // set to the worker's port once it listens
      spotEnabled: true,
      artifactsBucket: BUCKET,
      artifactsBucketUrl: `${moto.endpoint}/${BUCKET}`,
      eventBus: 'outpost',
      agents: {
        codex: {
          taskDefinitionArn,
          logGroupName: 'outpost-codex',
          defaultModel: 'gpt-5-codex',
          models: { flagship: 'gpt-5', balanced: 'gpt-5-codex', fast: 'gpt-5-mini' },
        },
      },
    };
    documents = DynamoDBDocumentClient.from(dynamodb);
    tokens = motoWorkerTokenCipher(config.workerTokenKey);
    deps = {
      config,
      dispatches: new DispatchRepository(documents, tables.dispatches, INDEXES),
      pool: new PoolRepository(documents, tables.pool),
      launcher: new WorkerLauncher(ecs, {
        cluster: 'outpost',
        taskDefinitionArns: { codex: config.agents.codex.taskDefinitionArn },
        subnets: config.subnets,
        securityGroups: config.securityGroups,
        spotEnabled: true,
        containerName: 'agent',
      }, tokens, { sleep: async () => {} }),
      artifacts: new ArtifactStore(new S3Bucket(BUCKET, config.artifactsBucketUrl)),
      workers: new WorkerClient(3_000),
      workerTokens: tokens,
      now: () => new Date(),
    };
  });

  /**
   * A real worker on loopback, as the task would run it (with `env` as its task definition adds): given its
   * token's ciphertext, as RunTask's override gives it, which it decrypts with moto's KMS.
   */
  async function startWorker(tokenCiphertext: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
    const worker = await WorkerProcess.start(bundle, {
      OUTPOST_AGENT: 'codex',
      OUTPOST_WORKER_TOKEN_CIPHERTEXT: tokenCiphertext,
      OUTPOST_CLUSTER: 'outpost',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      OUTPOST_AGENT_COMMAND: fakeAgent('codex'),
      OUTPOST_WORKSPACE_ROOT: path.join(home, 'workspace'),
      HOME: home,
      AWS_ENDPOINT_URL: moto.endpoint,
      ...env,
      // git's https goes to a closed port: a run never reaches a real host from a test.
      https_proxy: 'http://127.0.0.1:9',
    });
    workers.push(worker);
    (deps.config as { workerPort: number }).workerPort = worker.port;
    return worker;
  }

  const newDispatch = (): Dispatch => queued({ agent: 'codex', prompt: 'add a CHANGELOG entry', timeoutSeconds: 600 });

  /**
   * POST /dispatch's work: record the dispatch and start it warm; then, for one it handed to the starter, the
   * starter's, as the table's stream would deliver it.
   */
  type Workspaces = WorkspaceDeps & ProvisionDeps;
  async function startDispatch(lifecycle: LifecycleDeps, dispatch: Dispatch, workspaces?: Workspaces, hold?: HeldWorkspace): Promise<Dispatch> {
    const created = (await createAndStart(lifecycle, dispatch, undefined, hold)).dispatch;
    if (created.status !== 'QUEUED' || !created.coldStartRequestedAt) {
      return created;
    }
    const started = await startCold(lifecycle, workspaces, created);
    const { workspace: kind, requester } = dispatch;
    const workspace = workspaces && kind.kind === 'persistent' ? await workspaces.workspaces.get(requester, kind.name) : undefined;
    if (started.status !== 'QUEUED' || !workspace?.accessPointRequestedAt || workspace.accessPointId) {
      return started;
    }
    // The workspace provisioner, as the workspaces table's stream brings it the request; then the starter again.
    expect(await provisionAccessPoint(workspaces!, { ...workspace, inUseBy: dispatch.id })).toBe(true);
    return startCold(lifecycle, workspaces, (await lifecycle.dispatches.get(dispatch.id))!);
  }

  const status = async (id: string) => (await deps.dispatches.get(id))!;

  async function resultJson(id: string): Promise<Record<string, unknown>> {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `artifacts/${id}/result.json` }));
    return JSON.parse(await Body!.transformToString());
  }

  /** Let the worker finish its run, then deliver the task's STOPPED event (naming its dispatch, for a cold start). */
  async function stopped(taskArn: string, worker: WorkerProcess, dispatchId?: string): Promise<TaskState> {
    const exitCode = await worker.exited;
    const task = parseTaskStateChange(taskEvent({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      containers: [{ name: 'agent', exitCode: exitCode ?? 1 }],
      ...(dispatchId && { startedBy: `outpost/${dispatchId}` }),
    }, { taskArn }))!;
    await onTaskStopped(deps, task);
    return task;
  }

  test('warm: an idle pool worker takes the dispatch, runs it, and its result completes it', async () => {
    const { ciphertext } = await tokens.seal();
    const worker = await startWorker(ciphertext);
    const taskArn = 'arn:aws:ecs:us-east-1:123456789012:task/outpost/0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a';
    await deps.pool.register({ taskId: taskArn.split('/').pop()!, taskArn, agent: 'codex', tokenCiphertext: ciphertext });
    await deps.pool.markIdle(taskArn.split('/').pop()!, '127.0.0.1');
    const dispatch = newDispatch();

    const started = await startDispatch(deps, dispatch);
    expect(started).toMatchObject({ status: 'RUNNING', warm: true, taskArn, model: 'gpt-5-codex' });
    expect((await deps.pool.get(taskArn.split('/').pop()!))?.state).toBe('BUSY');

    await stopped(taskArn, worker);
    const done = await status(dispatch.id);
    expect(done).toMatchObject({ status: 'COMPLETED', exitCode: 0, result: { tokenUsage: expect.any(Object) } });
    expect(done.result).not.toHaveProperty('workspaceSize');
    expect(await resultJson(dispatch.id)).toMatchObject({ dispatchId: dispatch.id, status: 'succeeded', model: 'gpt-5-codex' });
    expect(await deps.pool.get(taskArn.split('/').pop()!)).toBeUndefined();
  });

  test('cold: no idle worker, so a task starts; when ECS reports it RUNNING (AWS\'s documented event) the worker gets the assignment', async () => {
    const dispatch = newDispatch();
    const starting = await startDispatch(deps, dispatch);
    expect(starting).toMatchObject({ status: 'STARTING', warm: false });
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: [starting.taskArn!] }));
    expect(tasks![0].startedBy).toBe(`outpost/${dispatch.id}`);
    const reserved = (await deps.pool.get(starting.taskArn!.split('/').pop()!))!;
    expect(reserved).toMatchObject({ state: 'RESERVED', dispatchId: dispatch.id });

    // The pool keeps the token only as ciphertext: the one RunTask's override carries, and no more.
    expect(reserved.tokenCiphertext).toBe(tasks![0].overrides!.containerOverrides![0].environment![0].value);
    const token = await decryptWithSdk(reserved.tokenCiphertext, { purpose: 'outpost-worker-token', cluster: 'outpost' });
    expect(JSON.stringify(reserved)).not.toContain(token);
    expect(JSON.stringify(tasks)).not.toContain(token);
    // The task's worker starts with the ciphertext RunTask gave it; ECS reports the task RUNNING, with no health status.
    const worker = await startWorker(reserved.tokenCiphertext);
    await onTaskReady(deps, parseTaskStateChange(runningEvent(starting.taskArn!, dispatch.id))!);
    expect((await status(dispatch.id)).status).toBe('RUNNING');

    await stopped(starting.taskArn!, worker);
    expect((await status(dispatch.id)).status).toBe('COMPLETED');
  });

  test('a worker that refuses connections for 2 s after ECS reports its task RUNNING, then answers, gets its assignment', async () => {
    const dispatch = newDispatch();
    const starting = await startDispatch(deps, dispatch);
    const worker = await startWorker((await deps.pool.get(starting.taskArn!.split('/').pop()!))!.tokenCiphertext);
    // The worker's address refuses connections until, 2 s on, its server listens (here: a relay to the real worker).
    const address = await lateListener(worker.port, 2_000);
    (deps.config as { workerPort: number }).workerPort = address.port;
    try {
      const began = Date.now();
      await onTaskReady(deps, parseTaskStateChange(runningEvent(starting.taskArn!, dispatch.id))!);
      expect(Date.now() - began).toBeGreaterThanOrEqual(2_000);
      expect((await status(dispatch.id)).status).toBe('RUNNING');
      expect(await worker.health()).toBe('busy');
    } finally {
      await address.close();
    }
  });

  test('a worker that never answers: the hand-off gives up after its budget with the reason, the event is retried, then the sweeper fails the dispatch', async () => {
    const dispatch = newDispatch();
    const starting = await startDispatch(deps, dispatch);
    const port = await freePort(); // nothing listens there
    (deps.config as { workerPort: number }).workerPort = port;
    const patient = { ...deps, workers: new WorkerClient(3_000, { budgetMs: 1_500, firstDelayMs: 100, maxDelayMs: 400 }) };
    const began = Date.now();
    const handOff = onTaskReady(patient, parseTaskStateChange(runningEvent(starting.taskArn!, dispatch.id))!);
    await expect(handOff).rejects.toBeInstanceOf(RetryLater);
    await expect(handOff).rejects.toThrow(new RegExp(`^the worker at 127\\.0\\.0\\.1:${port} did not answer in 1\\.\\d s \\(\\d+ attempts\\); last: worker unreachable: TypeError \\(fetch failed, ECONNREFUSED\\)$`));
    expect(Date.now() - began).toBeLessThan(1_500 + 2_000);
    expect((await status(dispatch.id)).status).toBe('STARTING');

    const swept = await sweep({ ...deps, now: () => new Date(Date.now() + 16 * 60_000) });
    expect(swept).toEqual([{ dispatchId: dispatch.id, agent: 'codex', outcome: 'FAILED', reason: 'the worker did not become ready in time' }]);
  });

  test('the hand-off leaves a stopped task alone, the completion a healthy one: each acts only on its own events', async () => {
    const dispatch = newDispatch();
    const starting = await startDispatch(deps, dispatch);
    const event = (detail: Record<string, unknown>) => parseTaskStateChange(taskEvent({ ...detail, startedBy: `outpost/${dispatch.id}` }, { taskArn: starting.taskArn!, privateIp: '127.0.0.1' }))!;
    expect(await onTaskStopped(deps, event({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING' }))).toBe(dispatch.id);
    expect(await onTaskReady(deps, event({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'SpotInterruption' }))).toBe(dispatch.id);
    expect((await status(dispatch.id)).status).toBe('STARTING');
    expect(await deps.pool.get(starting.taskArn!.split('/').pop()!)).toMatchObject({ state: 'RESERVED', dispatchId: dispatch.id });
  });

  test('a worker that dies without a result fails the dispatch with ECS\'s reason', async () => {
    const dispatch = newDispatch();
    const starting = await startDispatch(deps, dispatch);
    await onTaskStopped(deps, parseTaskStateChange(taskEvent({
      lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.',
    }, { taskArn: starting.taskArn! }))!);
    expect(await status(dispatch.id)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('Fargate Spot reclaimed the task') });
  });

  test('RunTask failing for good fails the dispatch with AWS\'s reason', async () => {
    const failing = new ECSClient({});
    mockClient(failing).onAnyCommand().rejects(Object.assign(new Error('User is not authorized to perform ecs:RunTask'), { name: 'AccessDeniedException' }));
    const dispatch = newDispatch();
    const result = await startDispatch({
      ...deps,
      launcher: new WorkerLauncher(failing, {
        cluster: 'outpost',
        taskDefinitionArns: { codex: deps.config.agents.codex.taskDefinitionArn },
        subnets: deps.config.subnets,
        securityGroups: deps.config.securityGroups,
        spotEnabled: true,
        containerName: 'agent',
      }, tokens),
    }, dispatch);
    expect(result).toMatchObject({ status: 'FAILED', error: expect.stringContaining('not authorized to perform ecs:RunTask') });
  });

  /** What ECS wants of a task: RUNNING while the sweeper leaves it alone, STOPPED once it stops it. */
  async function desiredStatus(taskArn: string): Promise<string | undefined> {
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: [taskArn] }));
    return tasks![0].desiredStatus;
  }

  test('the sweeper times out a run past its deadline and stops its task; a run within its deadline is left running', async () => {
    const dispatch = newDispatch();
    const starting = await startDispatch(deps, dispatch);
    await deps.dispatches.transition(starting, 'RUNNING', new Date());
    const patient = queued({ agent: 'codex', prompt: 'port the parser', timeoutSeconds: 3600 });
    const patientStarting = await startDispatch(deps, patient);
    await deps.dispatches.transition(patientStarting, 'RUNNING', new Date());
    const later = new Date(Date.now() + 601_000 + 60_000);
    const swept = await sweep({ ...deps, now: () => later });
    expect(swept).toEqual([{ dispatchId: dispatch.id, agent: 'codex', outcome: 'TIMED_OUT', reason: 'the run passed its 600 s timeout' }]);
    expect(await status(dispatch.id)).toMatchObject({ status: 'TIMED_OUT' });
    expect(await desiredStatus(starting.taskArn!)).toBe('STOPPED');
    expect(await status(patient.id)).toMatchObject({ status: 'RUNNING' });
    expect(await desiredStatus(patientStarting.taskArn!)).toBe('RUNNING');
  });

  test('the sweeper fails a dispatch whose worker never became ready, and stops its task; one still within its start limit is left', async () => {
    const dispatch = newDispatch();
    const starting = await startDispatch(deps, dispatch);
    // A 3600 s run may take the whole 15 minutes to start; the 600 s one no more than its own timeout.
    const patient = queued({ agent: 'codex', prompt: 'port the parser', timeoutSeconds: 3600 });
    const patientStarting = await startDispatch(deps, patient);
    const swept = await sweep({ ...deps, now: () => new Date(Date.now() + 11 * 60_000) });
    expect(swept).toEqual([{ dispatchId: dispatch.id, agent: 'codex', outcome: 'FAILED', reason: 'the worker did not become ready in time' }]);
    expect(await status(dispatch.id)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('did not become ready') });
    expect(await desiredStatus(starting.taskArn!)).toBe('STOPPED');
    expect(await status(patient.id)).toMatchObject({ status: 'STARTING' });
    expect(await desiredStatus(patientStarting.taskArn!)).toBe('RUNNING');
  });

  test('the sweeper fails a dispatch left QUEUED by an interrupted start; a younger QUEUED one is left', async () => {
    const dispatch = newDispatch();
    await deps.dispatches.create(dispatch);
    const younger = queued({ agent: 'codex', prompt: 'port the parser' }, undefined, new Date(Date.parse(dispatch.updatedAt) + 2 * 60_000));
    await deps.dispatches.create(younger);
    const swept = await sweep({ ...deps, now: () => new Date(Date.parse(dispatch.updatedAt) + 6 * 60_000) });
    expect(swept).toEqual([{ dispatchId: dispatch.id, agent: 'codex', outcome: 'FAILED', reason: 'the dispatch could not be started (its start was interrupted)' }]);
    expect(await status(dispatch.id)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('could not be started') });
    expect(await status(younger.id)).toMatchObject({ status: 'QUEUED', updatedAt: younger.updatedAt });
  });

  test('a dispatch cancelled before the starter reaches it gets no task', async () => {
    const queuedForStarter = (await createAndStart(deps, newDispatch())).dispatch;
    expect(queuedForStarter).toMatchObject({ status: 'QUEUED', coldStartRequestedAt: expect.any(String) });
    await deps.dispatches.transition(queuedForStarter, 'CANCELLED', new Date(), { reason: 'cancelled by alice' });
    const { taskArns: before = [] } = await ecs.send(new ListTasksCommand({ cluster: 'outpost' }));
    expect(await startCold(deps, undefined, queuedForStarter)).toMatchObject({ status: 'CANCELLED' });
    const { taskArns: after = [] } = await ecs.send(new ListTasksCommand({ cluster: 'outpost' }));
    expect(after).toEqual(before);
  });

  test('a late STOPPED event does not change a finished dispatch, but records what its task ran, once, for the ledger', async () => {
    const dispatch = newDispatch();
    const starting = await startDispatch(deps, dispatch);
    await deps.dispatches.transition(starting, 'CANCELLED', new Date(), { reason: 'cancelled by alice' });
    const run = { startedAt: '2026-11-24T13:00:00.000Z', stoppedAt: '2026-11-24T13:30:00.000Z', cpu: '1024', memory: '4096', capacityProviderName: 'FARGATE_SPOT' };
    const late = (stoppedAt: string) => parseTaskStateChange(taskEvent({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'UserInitiated', ...run, stoppedAt }, { taskArn: starting.taskArn! }))!;
    await onTaskStopped(deps, late(run.stoppedAt));
    await onTaskStopped(deps, late('2026-11-24T15:00:00.000Z'));
    expect(await status(dispatch.id)).toMatchObject({
      status: 'CANCELLED',
      task: { startedAt: run.startedAt, stoppedAt: run.stoppedAt, cpu: 1024, memoryMiB: 4096, capacityProvider: 'FARGATE_SPOT' },
    });
  });

  test('persistent workspace: cold on the workspace\'s task definition, the real worker works in it, and the next run finds what the last left', async () => {
    // Stands for the EFS access point that the workspace's task definition mounts at the worker's mount path.
    const mounted = path.join(home, 'persistent-main');
    fs.mkdirSync(mounted, { recursive: true });
    const efs = new EFSClient({});
    const workspaceDeps: WorkspaceDeps & ProvisionDeps = {
      settings: {
        table: tables.workspaces,
        fileSystemId: (await efs.send(new CreateFileSystemCommand({ CreationToken: 'workspaces' }))).FileSystemId!,
        familyPrefix: 'OutpostTest-ws',
        containerName: 'agent',
        mountPath: '/mnt/workspace',
      },
      agents: deps.config.agents,
      workspaces: new WorkspaceRepository(documents, tables.workspaces),
      accessPoints: new WorkspaceAccessPoints(efs),
      taskDefinitions: new WorkspaceTaskDefinitions(ecs),
      dispatches: deps.dispatches,
      now: () => new Date(),
    };
    const run = async () => {
      const dispatch = queued({ agent: 'codex', prompt: 'add a CHANGELOG entry', timeoutSeconds: 600, workspace: { kind: 'persistent', name: 'main' } });
      const hold = await holdWorkspace(workspaceDeps, dispatch);
      expect(hold.kind).toBe('held');
      const starting = await startDispatch(deps, dispatch, workspaceDeps, hold as HeldWorkspace);
      expect(starting).toMatchObject({ status: 'STARTING', warm: false });
      const taskDefinitionArn = (await workspaceDeps.workspaces.get(dispatch.requester, 'main'))!.taskDefinitions.codex.arn;
      const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: [starting.taskArn!] }));
      expect(tasks![0].taskDefinitionArn).toBe(taskDefinitionArn);

      const reserved = (await deps.pool.get(starting.taskArn!.split('/').pop()!))!;
      const worker = await startWorker(reserved.tokenCiphertext, { OUTPOST_PERSISTENT_WORKSPACE_PATH: mounted });
      await onTaskReady(deps, parseTaskStateChange(runningEvent(starting.taskArn!, dispatch.id))!);
      const task = await stopped(starting.taskArn!, worker, dispatch.id);
      // What the worker measured of the workspace after its push, kept on the dispatch for the ledger.
      expect(await status(dispatch.id)).toMatchObject({ status: 'COMPLETED', result: { workspaceSize: await measureWorkspace(mounted) } });
      expect((await workspaceDeps.workspaces.get(dispatch.requester, 'main'))!.inUseBy).toBe(dispatch.id);
      await releaseWorkspaceOfStoppedTask(deps.dispatches, workspaceDeps.workspaces, task);
      return taskDefinitionArn;
    };

    const first = await run();
    expect(fs.readFileSync(path.join(mounted, 'outpost-fake.txt'), 'utf8')).toBe('written by the fake codex\n');
    fs.appendFileSync(path.join(mounted, 'notes.md'), 'left by the first run\n');
    expect(await run()).toBe(first);
    expect(fs.readFileSync(path.join(mounted, 'notes.md'), 'utf8')).toBe('left by the first run\n');
    expect((await workspaceDeps.workspaces.get(ALICE, 'main'))!.inUseBy).toBeUndefined();
  });

  describe('private repositories: a GitHub App token minted per dispatch (moto Secrets Manager + fake GitHub)', () => {
    const APP_ID = 31337;
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const PRIVATE = 'https://github.com/org/repo.git';
    let github: FakeGitHub;
    let recorder: RecordingWorkerClient;

    beforeEach(async () => {
      github = await FakeGitHub.start({ appId: APP_ID, publicKey: keys.publicKey, installations: { 'org/repo': 11 } });
      const secrets = new SecretsManagerClient({});
      const pem = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      const { ARN } = await secrets.send(new CreateSecretCommand({ Name: 'outpost/github-app', SecretString: pem }));
      recorder = new RecordingWorkerClient();
      deps = {
        ...deps,
        workers: recorder,
        gitCredentials: gitCredentialSource({ secret: ARN!, hosts: ['github.com'], githubApp: { appId: APP_ID, apiUrl: github.url } }, secrets),
      };
    });
    afterEach(() => github.stop());

    const dispatchFor = (url: string): Dispatch => ({ ...newDispatch(), repository: { url, baseBranch: 'main' } });

    /** An idle pool worker on loopback. */
    async function idleWorker(): Promise<{ worker: WorkerProcess; taskArn: string; taskId: string }> {
      const { ciphertext } = await tokens.seal();
      const worker = await startWorker(ciphertext);
      const taskArn = 'arn:aws:ecs:us-east-1:123456789012:task/outpost/0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b';
      const taskId = taskArn.split('/').pop()!;
      await deps.pool.register({ taskId, taskArn, agent: 'codex', tokenCiphertext: ciphertext });
      await deps.pool.markIdle(taskId, '127.0.0.1');
      return { worker, taskArn, taskId };
    }

    test('warm: the worker takes an assignment carrying a token minted for its repository alone; the token goes nowhere else', async () => {
      const { worker, taskArn } = await idleWorker();
      const dispatch = dispatchFor(PRIVATE);

      expect(await startDispatch(deps, dispatch)).toMatchObject({ status: 'RUNNING', warm: true });
      expect(github.minted).toEqual([{ installationId: 11, repositories: ['repo'], permissions: { contents: 'write', metadata: 'read' }, token: expect.any(String) }]);
      const token = github.minted[0].token;
      expect(recorder.accepted.map((assignment) => assignment.repository)).toEqual([{ url: PRIVATE, baseBranch: 'main', credential: { username: 'x-access-token', token } }]);

      // github.com is out of reach here, so the run fails at its clone, and says so without the token.
      await stopped(taskArn, worker);
      expect(await status(dispatch.id)).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/^git fetch exited with 128: .*unable to access 'https:\/\/github.com\/org\/repo.git\/'/) });
      expect(worker.stdout).not.toContain(token);
      expect(JSON.stringify(await resultJson(dispatch.id))).not.toContain(token);
    });

    test('a repository on another host gets no credential, and nothing is minted for it', async () => {
      await idleWorker();
      await startDispatch(deps, dispatchFor('https://gitlab.com/org/repo.git'));
      expect(recorder.accepted.map((assignment) => assignment.repository)).toEqual([{ url: 'https://gitlab.com/org/repo.git', baseBranch: 'main' }]);
      expect(github.requests).toEqual([]);
    });

    test('a repository the platform no longer allows (a redeploy narrowed it while the dispatch waited) gets no token: nothing is minted, the dispatch fails saying why', async () => {
      const { taskId } = await idleWorker();
      const dispatch = dispatchFor(PRIVATE);
      deps = { ...deps, config: { ...deps.config, repositories: { allowed: ['github.com/org/public-*'] } } };

      expect(await startDispatch(deps, dispatch)).toMatchObject({
        status: 'FAILED',
        error: `no git credential for ${PRIVATE}: github.com/org/repo is not among the platform's allowed repositories (github.com/org/public-*)`,
      });
      expect(github.requests).toEqual([]);
      expect(recorder.pushes).toBe(0);
      expect(await deps.pool.get(taskId)).toMatchObject({ state: 'IDLE' });
    });

    test('warm: the app is not installed on the repository, so the dispatch fails with that reason; the worker is not told and goes back to the pool', async () => {
      const { taskId } = await idleWorker();
      const dispatch = dispatchFor('https://github.com/org/private.git');

      expect(await startDispatch(deps, dispatch)).toMatchObject({
        status: 'FAILED',
        error: `no git credential for https://github.com/org/private.git: GitHub answered 404 (Not Found): the GitHub App ${APP_ID} is not installed on org/private; install it there (or on org) with access to that repository`,
      });
      expect(recorder.pushes).toBe(0);
      expect(await deps.pool.get(taskId)).toMatchObject({ state: 'IDLE' });
    });

    test('cold: a failing mint fails the dispatch with the reason and stops the task started for it', async () => {
      const dispatch = dispatchFor('https://github.com/org/private.git');
      const starting = await startDispatch(deps, dispatch);
      const worker = await startWorker((await deps.pool.get(starting.taskArn!.split('/').pop()!))!.tokenCiphertext);

      await onTaskReady(deps, parseTaskStateChange(runningEvent(starting.taskArn!, dispatch.id))!);
      expect(await status(dispatch.id)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('the GitHub App 31337 is not installed on org/private') });
      expect(recorder.pushes).toBe(0);
      expect(await worker.health()).toBe('idle');
      const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: [starting.taskArn!] }));
      expect(tasks![0].desiredStatus).toBe('STOPPED');
    });

    test('cold: GitHub failing for now makes the event retry; the dispatch waits in STARTING', async () => {
      github.overrides.push({ path: /access_tokens$/, status: 502 });
      const dispatch = dispatchFor(PRIVATE);
      const starting = await startDispatch(deps, dispatch);
      await startWorker((await deps.pool.get(starting.taskArn!.split('/').pop()!))!.tokenCiphertext);

      await expect(onTaskReady(deps, parseTaskStateChange(runningEvent(starting.taskArn!, dispatch.id))!)).rejects.toThrow('GitHub answered 502');
      expect((await status(dispatch.id)).status).toBe('STARTING');
      expect(recorder.pushes).toBe(0);
    });
  });
});

/** ECS reporting a dispatch's task RUNNING, its worker on loopback. */
function runningEvent(taskArn: string, dispatchId: string): unknown {
  return runningTaskEvent(`outpost/${dispatchId}`, { taskArn, privateIp: '127.0.0.1' });
}

/**
 * A port on 127.0.0.1 that refuses connections for `afterMs`, then relays each to the worker at `workerPort`:
 * a task's address before and after its worker's server listens.
 */
async function lateListener(workerPort: number, afterMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const port = await freePort();
  const relay = net.createServer((socket) => socket.pipe(net.connect(workerPort, '127.0.0.1')).pipe(socket));
  const timer = setTimeout(() => relay.listen(port, '127.0.0.1'), afterMs);
  return {
    port,
    close: async () => {
      clearTimeout(timer);
      if (relay.listening) {
        await new Promise((resolve) => relay.close(resolve));
      }
    },
  };
}

/** The real client, keeping every assignment a worker accepted: what the worker received. */
class RecordingWorkerClient extends WorkerClient {
  readonly accepted: Assignment[] = [];
  pushes = 0;

  constructor() {
    super(3_000);
  }

  public async push(worker: WorkerAddress, assignment: Assignment) {
    this.pushes += 1;
    const outcome = await super.push(worker, assignment);
    if (outcome.kind === 'accepted') {
      this.accepted.push(assignment);
    }
    return outcome;
  }
}
