import * as path from 'path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ArtifactStore } from '../../runtime/adapters/artifact-store';
import { DispatchRepository } from '../../runtime/adapters/dispatch-repository';
import { PoolRepository } from '../../runtime/adapters/pool-repository';
import { S3Bucket } from '../../runtime/adapters/s3-bucket';
import { artifactPrefix } from '../../runtime/core/artifacts/artifact-prefix';
import { newDispatch, type Dispatch } from '../../runtime/core/dispatch/dispatch';
import { SPOT_INTERRUPTED } from '../../runtime/core/tasks/run-outcome';
import { parseTaskStateChange } from '../../runtime/core/tasks/task-event';
import { onTaskStopped, type CompletionDeps } from '../../runtime/services/task-stopped';
import { ALICE, request } from '../runtime/dispatch/support/dispatches';
import { createPlatformTables, INDEXES } from '../runtime/dispatch/support/platform-tables';
import { runConformance, type ConformanceRun } from '../support/conformance/run-worker';
import { DOCUMENTED_TASK_ARN, spotInterruptedStop, taskEvent } from '../support/ecs-events';
import { startMoto, type MotoServer } from '../support/moto-server';

/** Reports the sandbox, writes one file, then sleeps PROBE_SLEEP_SECONDS: long enough to be stopped mid-run. */
const PROBE_AGENT = path.join(__dirname, 'agents', 'probe.sh');
/** The claude task definition's secret, which ECS would inject: a test value. */
const SECRETS = { ANTHROPIC_API_KEY: 'sk-ant-conformance-not-a-key' };
const BUCKET = 'outpost-artifacts';

jest.setTimeout(60_000);

/**
 * A Fargate Spot interruption as AWS runs it: Fargate sends the container SIGTERM (the termination notice,
 * two minutes before the task stops), the real worker stops the agent and uploads the result it makes of a
 * SIGTERM, and ECS then reports the task STOPPED with stop code SpotInterruption. The dispatch must end
 * FAILED as reclaimed, not CANCELLED as a user's cancel would.
 */
describe('a Fargate Spot interruption, with the real worker', () => {
  let run: ConformanceRun;
  let moto: MotoServer;
  let deps: CompletionDeps;

  beforeAll(async () => {
    // The worker, mid-run, gets SIGTERM as Fargate sends it with the termination notice.
    run = await runConformance({
      agent: 'claude',
      model: 'conformance-model',
      prompt: 'Probe the sandbox',
      agentCommand: PROBE_AGENT,
      env: { ...SECRETS, PROBE_SLEEP_SECONDS: '60' },
      cancelAfterSeconds: 2,
    });
    moto = await startMoto();
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const tables = await createPlatformTables(new DynamoDBClient({}));
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    deps = {
      dispatches: new DispatchRepository(documents, tables.dispatches, INDEXES),
      pool: new PoolRepository(documents, tables.pool),
      artifacts: new ArtifactStore(new S3Bucket(BUCKET, `${moto.endpoint}/${BUCKET}`)),
      now: () => new Date(),
    };
  });
  afterAll(() => moto?.stop());

  /**
   * A RUNNING dispatch whose artifacts hold the result.json the worker really uploaded, as the control plane
   * would find them when the task stops (under another dispatch's id, that id in it: the artifact store checks that
   * they agree).
   */
  async function runningWithTheWorkersResult(id: string, taskArn: string): Promise<Dispatch> {
    const dispatch = newDispatch(request({ agent: 'claude' }), ALICE, new Date(), id);
    await deps.dispatches.create(dispatch);
    const starting = await deps.dispatches.transition(dispatch, 'STARTING', new Date(), { taskArn });
    if (!starting.applied) {
      throw new Error(`STARTING refused: ${starting.reason}`);
    }
    const running = await deps.dispatches.transition(starting.dispatch, 'RUNNING', new Date());
    if (!running.applied) {
      throw new Error(`RUNNING refused: ${running.reason}`);
    }
    await new S3Client({ forcePathStyle: true }).send(new PutObjectCommand({
      Bucket: BUCKET, Key: `${artifactPrefix(id)}result.json`, Body: JSON.stringify({ ...run.result, dispatchId: id }), ContentType: 'application/json',
    }));
    return running.dispatch;
  }

  test('the worker really reports a SIGTERM as cancelled, exit code 143: what the outcome must not take at its word', () => {
    expect(run.result).toMatchObject({ dispatchId: run.dispatchId, status: 'cancelled', exitCode: 143 });
    expect(run.exitCode).toBe(143);
  });

  test('the STOPPED event with stop code SpotInterruption ends the dispatch FAILED, reclaimed, with the result\'s exit code and usage', async () => {
    const taskArn = DOCUMENTED_TASK_ARN;
    const dispatch = await runningWithTheWorkersResult(run.dispatchId, taskArn);
    const stopped = parseTaskStateChange(spotInterruptedStop(run.exitCode, { taskArn, startedBy: `outpost/${dispatch.id}` }))!;

    expect(await onTaskStopped(deps, stopped)).toBe(dispatch.id);

    const ended = await deps.dispatches.get(dispatch.id);
    expect(ended).toMatchObject({
      status: 'FAILED',
      exitCode: 143,
      error: 'Fargate Spot reclaimed the task (Your Spot Task was interrupted.); the worker reported cancelled (exit code 143)',
      statusReason: SPOT_INTERRUPTED,
      // What the ledger prices: the task's capacity and times, and the usage the worker reported.
      task: { capacityProvider: 'FARGATE_SPOT', stoppedAt: '2020-01-23T17:59:58.103Z' },
      result: { tokenUsage: run.result?.tokenUsage, durationSeconds: run.result?.durationSeconds },
    });
  });

  test('the same result after a StopTask (a user\'s cancel) is still CANCELLED', async () => {
    const other = `${run.dispatchId.slice(0, -1)}${run.dispatchId.endsWith('Z') ? 'Y' : 'Z'}`;
    const taskArn = DOCUMENTED_TASK_ARN.replace(/[0-9a-f]{32}$/, '0'.repeat(32));
    const dispatch = await runningWithTheWorkersResult(other, taskArn);
    // The STOPPED event of a StopTask: stop code UserInitiated (the Task object's stopCode values, ECS API reference).
    const stopped = parseTaskStateChange(taskEvent({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'outpost: cancelled',
      startedBy: `outpost/${dispatch.id}`,
      containers: [{ name: 'agent', exitCode: 143 }],
    }, { taskArn }))!;

    await onTaskStopped(deps, stopped);
    expect(await deps.dispatches.get(dispatch.id)).toMatchObject({ status: 'CANCELLED', exitCode: 143 });
  });
});
