import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { dispatchItem, FINAL, platformConfig, poolItems, startLocalE2e, until, workerPidOf, type LocalE2e } from './support/local-e2e';
import { HOLD_MARKER } from '../../runtime/local/kit/providers/stand-in';

/**
 * Outpost Local end to end, the lifecycles besides a run that succeeds: a run past its timeout, a worker that dies
 * mid-run, a worker that hangs until the sweeper reaps it, and a persistent workspace across two runs. Each goes
 * through the synthesized template's own wiring (ECS's task state change events, the rules, task-stopped, the
 * sweeper's schedule, the workspace provisioner and the starter's task definition), with the real worker and
 * Claude Code in the sandbox. The stand-in model holds its answer to a prompt with HOLD_MARKER: an agent that
 * runs for as long as nothing stops it. Needs root for the sandbox (CI runs as root) and the bundles
 * (`npx projen bundle:runtime`).
 */
let e2e: LocalE2e;

beforeAll(async () => {
  e2e = await startLocalE2e();
}, 600_000);

afterAll(async () => {
  await e2e?.local.stop();
}, 300_000);

/** The dispatch's running task, as the starter recorded it. */
async function runningTask(id: string): Promise<string> {
  await until(e2e, id, (view) => view.status === 'RUNNING' || FINAL.includes(view.status));
  const item = await dispatchItem(e2e.local, id);
  expect(item.status).toBe('RUNNING');
  return item.taskArn as string;
}

/**
 * The root directories of the persistent workspaces named `name` on Outpost Local's EFS: the ECS emulator's scratch
 * directory of this process (runtime/local/ecs/efs-volumes.ts), then `<file system>/workspaces/<uid>/<name>.<generation>`.
 */
function workspaceDirectories(name: string): string[] {
  const runs = path.join(os.tmpdir(), 'outpost-conformance', 'runs');
  const fileSystems = fs.readdirSync(runs).filter((entry) => entry.startsWith(`${process.pid}-local-efs-`))
    .flatMap((efs) => fs.readdirSync(path.join(runs, efs)).map((fileSystem) => path.join(runs, efs, fileSystem, 'workspaces')));
  return fileSystems.filter((workspaces) => fs.existsSync(workspaces)).flatMap((workspaces) => fs.readdirSync(workspaces)
    .flatMap((uid) => fs.readdirSync(path.join(workspaces, uid)).filter((entry) => entry.startsWith(`${name}.`)).map((entry) => path.join(workspaces, uid, entry))));
}

async function logText(id: string): Promise<string> {
  const logs = await e2e.client.getLogs(id, { limit: 1000 });
  return logs.lines.map((line) => line.message).join('\n');
}

describe('Outpost Local lifecycles, wired from the synthesized template', () => {
  test('a persistent workspace: the second run on it finds the first run\'s clone, and each pushes its own commit', async () => {
    const url = e2e.local.createRepository('e2e/workspace', { 'README.md': '# workspace\n' });
    const workspace = { kind: 'persistent' as const, name: 'e2e-shared' };
    const first = await e2e.client.dispatch({ agent: 'claude', prompt: 'Add OUTPOST_LOCAL.md', repository: { url }, workspace });
    expect(await until(e2e, first.id, (view) => FINAL.includes(view.status), 240)).toMatchObject({ status: 'COMPLETED' });
    expect(await logText(first.id)).toContain('cloning the base branch');

    const second = await e2e.client.dispatch({ agent: 'claude', prompt: 'Add OUTPOST_LOCAL.md', repository: { url }, workspace });
    expect(await until(e2e, second.id, (view) => FINAL.includes(view.status), 240)).toMatchObject({ status: 'COMPLETED' });
    expect(await logText(second.id)).toContain('the workspace holds a clone: fetching the base branch');
    for (const id of [first.id, second.id]) {
      const commit = await e2e.local.git.commit('e2e/workspace', `outpost/${id}`);
      expect(commit?.files['OUTPOST_LOCAL.md']).toBe('# Written by an agent on Outpost Local\n');
    }
    // On the host, the access point's root directory: made as its CreationInfo says (the workspace owner's, 0700),
    // and between tasks everything in it is the access point's POSIX user's, as EFS would keep it.
    const [directory, ...others] = workspaceDirectories('e2e-shared');
    expect(others).toEqual([]);
    const owner = Number(path.basename(path.dirname(directory)));
    expect(fs.statSync(directory)).toMatchObject({ uid: owner, gid: owner });
    expect((fs.statSync(directory).mode % 0o1000).toString(8)).toBe('700');
    expect(fs.statSync(path.join(directory, 'README.md'))).toMatchObject({ uid: owner, gid: owner });
  }, 600_000);

  test('a worker killed mid-run (as an out-of-memory kill ends it): ECS\'s STOPPED event fails the dispatch with its exit code, and the ledger prices the run', async () => {
    const url = e2e.local.createRepository('e2e/crash');
    const dispatched = await e2e.client.dispatch({ agent: 'claude', prompt: `Add OUTPOST_LOCAL.md ${HOLD_MARKER}`, repository: { url } });
    const taskArn = await runningTask(dispatched.id);
    process.kill(await workerPidOf(e2e.local, taskArn), 'SIGKILL');
    const done = await until(e2e, dispatched.id, (view) => FINAL.includes(view.status) && view.cost !== undefined);
    expect(done).toMatchObject({
      status: 'FAILED',
      exitCode: 137,
      error: 'the worker stopped without reporting a result (EssentialContainerExited; Essential container in task exited; exit code 137)',
    });
    expect(done.cost!.estimatedUsd).toBeGreaterThan(0);
  }, 300_000);

  test('a run past its timeout: the worker stops the agent at its deadline and reports it, and the dispatch ends TIMED_OUT', async () => {
    const url = e2e.local.createRepository('e2e/timeout');
    const dispatched = await e2e.client.dispatch({ agent: 'claude', prompt: `Add OUTPOST_LOCAL.md ${HOLD_MARKER}`, repository: { url }, timeoutSeconds: 60 });
    const done = await until(e2e, dispatched.id, (view) => FINAL.includes(view.status) && view.cost !== undefined, 240);
    expect(done).toMatchObject({ status: 'TIMED_OUT', exitCode: 124, error: 'the agent ran past timeoutSeconds' });
    // A minute of a task's compute: the ledger billed the run's window of the task (with the task's times beside it on failure).
    const { task } = await dispatchItem(e2e.local, dispatched.id);
    if (!(done.cost!.computeUsd > 0)) {
      throw new Error(`a minute's run billed no compute: ${JSON.stringify({ cost: done.cost, task, startedAt: done.startedAt, finishedAt: done.finishedAt, warm: done.warm })}`);
    }
    expect(await logText(dispatched.id)).toContain('dispatch timed_out');
  }, 300_000);

  test('a worker that hangs: past the deadline, the sweeper\'s schedule stops its task and ends the dispatch TIMED_OUT', async () => {
    const url = e2e.local.createRepository('e2e/hang');
    const dispatched = await e2e.client.dispatch({ agent: 'claude', prompt: `Add OUTPOST_LOCAL.md ${HOLD_MARKER}`, repository: { url }, timeoutSeconds: 60 });
    const taskArn = await runningTask(dispatched.id);
    // Frozen, the worker can neither keep its own deadline nor answer SIGTERM: only the platform can end the run.
    const frozen = await workerPidOf(e2e.local, taskArn);
    process.kill(frozen, 'SIGSTOP');
    const { deadline } = await e2e.client.getDispatch(dispatched.id);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(deadline!) - Date.now()) + 1000));
    expect((await e2e.client.getDispatch(dispatched.id)).status).toBe('RUNNING');

    const sweep = e2e.local.platform.deployed.wiring.schedules.map((schedule) => schedule.logicalId).find((id) => /Sweep/i.test(id))!;
    await e2e.local.platform.runSchedule(sweep);
    const swept = await until(e2e, dispatched.id, (view) => FINAL.includes(view.status));
    expect(swept).toMatchObject({ status: 'TIMED_OUT', error: 'the run passed its 60 s timeout' });
    // The sweeper stopped the task: SIGTERM, which the frozen worker cannot take, then SIGKILL after the container's
    // stop timeout (120 s).
    const stopDeadline = Date.now() + 240_000;
    let item = await dispatchItem(e2e.local, dispatched.id);
    while (!item.task && Date.now() < stopDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      item = await dispatchItem(e2e.local, dispatched.id);
    }
    // The STOPPED event reached the dispatch (its task's times, for the ledger) through task-stopped.
    expect(item.task).toMatchObject({ stoppedAt: expect.any(String) });
    const taskId = taskArn.split('/').pop()!;
    expect(e2e.lines.some((line) => line.includes('"message":"task state change handled"') && line.includes(`"taskId":"${taskId}"`)
      && line.includes('"stopCode":"UserInitiated"'))).toBe(true);
    expect(fs.existsSync(`/proc/${frozen}`)).toBe(false);
    expect((await e2e.client.getDispatch(dispatched.id)).status).toBe('TIMED_OUT');
    // Not asserted: the ledger's price. It waits for the task's report through Lambda's retries, which Outpost Local
    // shortens to 5 and 10 s, less than this task took to stop (docs/local.md, Limits).
  }, 600_000);

  test('the pool scaler\'s schedule reconciles the pool with ECS: a worker task that no pool item names is stopped', async () => {
    const deadline = Date.now() + 180_000;
    let idle: Record<string, any> | undefined;
    while (!(idle = (await poolItems(e2e.local)).find((item) => item.state === 'IDLE' && item.agent === 'claude'))) {
      if (Date.now() > deadline) {
        throw new Error(`no idle claude worker after 180 s: ${JSON.stringify(await poolItems(e2e.local))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const pid = await workerPidOf(e2e.local, idle.taskArn);
    // The table loses the worker (as a write that never landed would): its task is now an orphan.
    const { dynamodb } = e2e.local.platform.deployed.clients;
    await dynamodb.send(new DeleteItemCommand({ TableName: platformConfig(e2e.local).tables.pool, Key: { taskId: { S: idle.taskId } } }));
    // The template's two schedules: the sweeper's and the scaler's.
    const scale = e2e.local.platform.deployed.wiring.schedules.map((schedule) => schedule.logicalId).find((id) => !/Sweep/i.test(id))!;
    await e2e.local.platform.runSchedule(scale);
    const gone = Date.now() + 90_000;
    while (fs.existsSync(`/proc/${pid}`)) {
      if (Date.now() > gone) {
        throw new Error(`the orphan ${idle.taskArn} still runs 90 s after the scaler's tick:\n${e2e.lines.slice(-30).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(e2e.lines.some((line) => /"message":"scaled".*"orphansStopped":1/.test(line))).toBe(true);
    expect(e2e.lines).toContainEqual(expect.stringContaining(`ecs: stopping ${idle.taskArn}`));
  }, 300_000);

  test('nothing above needed a request the IAM gate refused', () => {
    expect(e2e.local.denials).toEqual([]);
  });
});
