import * as fs from 'fs';
import * as path from 'path';
import { OutpostClient } from '../client';
import { OutpostLocal } from './outpost-local';
import { commandLineOf, descendantsOf, hasExited } from './process-tree';
import { exportLines, readServeState, removeServeState, writeServeState } from './serve-state';
import type { AgentName } from '../contracts/agent-names';

/** The repository `outpost local serve` makes on the local git server, to dispatch to. */
const SERVE_REPOSITORY = 'demo/hello';

export interface LocalCommandOptions {
  readonly assembly: string;
  readonly stack: string;
  readonly print: (line: string) => void;
  readonly note: (line: string) => void;
  readonly verbose?: boolean;
}

/**
 * `outpost local serve`: the platform until SIGINT or SIGTERM, with a repository to dispatch to, and its state
 * (endpoint, developer credentials) written for `outpost local env`. On the signal it stops every process it
 * started (moto, the functions, the tasks, the stand-in models) and returns.
 */
export async function serveLocal(options: LocalCommandOptions): Promise<void> {
  // Refused before the minutes of a start when another serve is running.
  writeServeState({ pid: process.pid, startedAt: new Date().toISOString(), endpoint: '', environment: {}, starting: true });
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop).on('SIGTERM', stop);
  });
  let local: OutpostLocal | undefined;
  try {
    local = await startLocal(options);
    const repository = local.createRepository(SERVE_REPOSITORY, { 'README.md': '# Hello from Outpost Local\n' });
    const environment = {
      ...local.userEnvironment(),
      OUTPOST_LOCAL_REPOSITORY: repository,
      OUTPOST_LOCAL_GIT_DIR: local.git.barePath(SERVE_REPOSITORY),
    };
    writeServeState({ pid: process.pid, startedAt: new Date().toISOString(), endpoint: local.endpoint, environment });
    options.print(`Outpost Local is serving ${local.endpoint} (${describeCounts(local)})`);
    options.print(`repository: ${repository} (the agents' branches: git --git-dir ${environment.OUTPOST_LOCAL_GIT_DIR} log outpost/<id>)`);
    options.print('In another shell: eval "$(outpost local env)"   then: outpost dispatch --agent claude --repo "$OUTPOST_LOCAL_REPOSITORY" --follow "…"');
    options.print('Ctrl-C stops it.');
    const signal = await stopped;
    options.note(`${signal}: stopping…`);
  } finally {
    removeServeState(process.pid);
    await stopEverything(local, options);
  }
}

/** How long the clean stop may take before what is left is killed. */
const STOP_GRACE_MS = 30_000;

/**
 * `local.stop()`, bounded: a terminal's Ctrl-C signals serve's whole process group, so moto and the functions may
 * be gone before the clean stop asks them. Whatever of serve's processes outlives it is killed and named, and a
 * stop that hangs ends the process, so that serve always ends with nothing of it left running.
 */
async function stopEverything(local: OutpostLocal | undefined, options: LocalCommandOptions): Promise<void> {
  const started = descendantsOf(process.pid);
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    (local?.stop() ?? Promise.resolve()).then(() => 'stopped', (error: Error) => `failed: ${error.message}`),
    new Promise<string>((resolve) => { timer = setTimeout(() => resolve(`not done after ${STOP_GRACE_MS / 1000} s`), STOP_GRACE_MS); }),
  ]);
  clearTimeout(timer);
  const left = started.filter((pid) => !hasExited(pid));
  for (const pid of left) {
    options.note(`still running after the stop, killed: ${pid} ${commandLineOf(pid).slice(0, 200)}`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  if (outcome !== 'stopped') {
    options.note(`the clean stop ${outcome}: ending anyway`);
    // What the hung stop still holds (servers, sockets) would keep node running.
    setTimeout(() => process.exit(), 1000).unref();
  }
}

/** `outpost local env`: `export` lines for the running `outpost local serve`, or an error saying to start one. */
export async function localEnvScript(): Promise<string> {
  return exportLines((await readServeState()).environment);
}

/** What the demo printed at its end: the commit and the run's cost. */
export interface DemoOutcome {
  readonly status: string;
  readonly commit?: string;
  readonly costUsd?: number;
}

/**
 * `outpost local demo`: starts Outpost Local, dispatches `agent` on a demo repository of the local git server,
 * follows the run's logs, prints the commit it pushed and the run's cost, and stops everything.
 */
export async function runLocalDemo(
  options: LocalCommandOptions & { readonly agent: AgentName; readonly timeoutSeconds?: number },
): Promise<DemoOutcome> {
  const local = await startLocal(options);
  try {
    const url = local.createRepository('demo/hello', { 'README.md': '# Hello from Outpost Local\n' });
    const env = local.userEnvironment();
    const client = new OutpostClient({
      endpoint: env.OUTPOST_ENDPOINT,
      region: env.AWS_REGION,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN },
    });
    const dispatched = await client.dispatch({ agent: options.agent, prompt: 'Add a file OUTPOST_LOCAL.md that says hello.', repository: { url } });
    options.print(`dispatched ${dispatched.id} to ${options.agent} on ${url}`);
    const deadline = Date.now() + (options.timeoutSeconds ?? 300) * 1000;
    let cursor: string | undefined;
    let view = dispatched;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      view = await client.getDispatch(dispatched.id);
      const logs = await client.getLogs(dispatched.id, { cursor }).catch(() => undefined);
      for (const line of logs?.lines ?? []) {
        options.print(`  │ ${line.message}`);
      }
      cursor = logs?.cursor ?? cursor;
      if (['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'].includes(view.status) && view.cost?.estimatedUsd !== undefined) {
        break;
      }
    }
    const commit = await local.git.commit('demo/hello', `outpost/${dispatched.id}`);
    options.print(`status: ${view.status}`);
    options.print(commit ? `commit: ${commit.sha} on ${commit.branch}: ${commit.subject} (${Object.keys(commit.files).join(', ')})` : 'commit: none');
    options.print(`cost: ${view.cost?.estimatedUsd === undefined ? 'not priced yet' : `$${view.cost.estimatedUsd.toFixed(6)}`}`);
    return { status: view.status, commit: commit?.sha, costUsd: view.cost?.estimatedUsd };
  } finally {
    await local.stop();
  }
}

async function startLocal(options: LocalCommandOptions): Promise<OutpostLocal> {
  const template = path.join(options.assembly, `${options.stack}.template.json`);
  if (!fs.existsSync(template)) {
    throw new Error(`${template} is missing: synthesize the platform first (\`npx cdk synth --output ${options.assembly}\`), or name it with --assembly and --stack`);
  }
  options.note(`starting Outpost Local from ${template}…`);
  const started = Date.now();
  const local = await OutpostLocal.start({
    assembly: options.assembly,
    stackName: options.stack,
    log: options.verbose ? options.note : () => undefined,
  });
  options.note(`Outpost Local is up in ${((Date.now() - started) / 1000).toFixed(1)} s at ${local.endpoint} (${describeCounts(local)})`);
  return local;
}

function describeCounts(local: OutpostLocal): string {
  return Object.entries(local.platform.counts).map(([kind, count]) => `${count} ${kind}`).join(', ');
}
