import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { OutpostClient } from '../../../runtime/client';
import type { DispatchView } from '../../../runtime/client';
import { OutpostLocal } from '../../../runtime/local/outpost-local';

/**
 * What the Outpost Local end-to-end tests share: the example app (examples/typescript/local) synthesized by
 * `cdk synth`, Outpost Local started on it, a client as the local developer, and ways to wait for a dispatch and
 * to look at the platform's tables and tasks. Needs root for the sandbox (CI runs as root) and the bundled
 * handlers and worker (`npx projen bundle:runtime`).
 */
const EXAMPLE = path.join(__dirname, '..', '..', '..', 'examples', 'typescript', 'local');
export const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];

export interface LocalE2e {
  readonly local: OutpostLocal;
  readonly client: OutpostClient;
  /** Outpost Local's log lines so far. */
  readonly lines: string[];
}

export async function startLocalE2e(): Promise<LocalE2e> {
  const assembly = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-local-assembly-'));
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', assembly], { cwd: EXAMPLE, stdio: 'pipe' });
  const lines: string[] = [];
  // OUTPOST_E2E_LOG names a file that gets every line too: a failure's whole story, not only its last lines.
  const logFile = process.env.OUTPOST_E2E_LOG;
  const log = (line: string) => {
    lines.push(line);
    if (logFile) {
      fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
    }
  };
  const local = await OutpostLocal.start({ assembly, stackName: 'OutpostLocal', log, runSchedules: false });
  const env = local.userEnvironment();
  const client = new OutpostClient({
    endpoint: env.OUTPOST_ENDPOINT,
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN },
  });
  return { local, client, lines };
}

/** The dispatch once `done` holds, polled every half second; past `seconds`, an error with Outpost Local's last lines. */
export async function until(e2e: LocalE2e, id: string, done: (view: DispatchView) => boolean, seconds = 180): Promise<DispatchView> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const view = await e2e.client.getDispatch(id);
    if (done(view)) {
      return view;
    }
    if (Date.now() > deadline) {
      throw new Error(`dispatch ${id} is still ${view.status} after ${seconds} s:\n${e2e.lines.slice(-40).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** OUTPOST_CONFIG as the template gives the control plane's functions. */
export function platformConfig(local: OutpostLocal): Record<string, any> {
  const configured = [...local.platform.hosts.values()].find((host) => host.fn.environment.OUTPOST_CONFIG)!;
  return JSON.parse(configured.fn.environment.OUTPOST_CONFIG);
}

export async function poolItems(local: OutpostLocal): Promise<Array<Record<string, any>>> {
  const answer = await local.platform.deployed.clients.dynamodb.send(new ScanCommand({ TableName: platformConfig(local).tables.pool }));
  return (answer.Items ?? []).map((item) => unmarshall(item));
}

/** The dispatch's item in the dispatches table: what the platform keeps of it beyond the API's view (its task). */
export async function dispatchItem(local: OutpostLocal, id: string): Promise<Record<string, any>> {
  const { Item } = await local.platform.deployed.clients.dynamodb.send(new GetItemCommand({
    TableName: platformConfig(local).tables.dispatches, Key: { id: { S: id } }, ConsistentRead: true,
  }));
  if (!Item) {
    throw new Error(`no dispatch ${id} in the dispatches table`);
  }
  return unmarshall(Item);
}

/**
 * The host's pid of the worker process of a task: the `node …/worker.js` whose environment holds the task's
 * RunTask overrides (the sealed worker token is one task's only). What a test signals to play an out-of-memory
 * kill or a hung worker.
 */
export async function workerPidOf(local: OutpostLocal, taskArn: string): Promise<number> {
  const { ecs } = local.platform.deployed.clients;
  const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: platformConfig(local).cluster, tasks: [taskArn] }));
  const overrides = (tasks?.[0]?.overrides?.containerOverrides ?? []).flatMap((override) => override.environment ?? [])
    .map((variable) => `${variable.name}=${variable.value}`);
  if (overrides.length === 0) {
    throw new Error(`task ${taskArn} has no environment overrides to know its worker by`);
  }
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const environment = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (command.some((part) => part.endsWith('/worker/worker.js')) && overrides.every((variable) => environment.includes(variable))) {
        return Number(entry);
      }
    } catch {
      // A process that ended meanwhile.
    }
  }
  throw new Error(`no worker process of task ${taskArn} on this machine`);
}
