import { readdir, readFile } from 'fs/promises';
import { asAgent, type AgentIdentity } from './agent-identity';
import { runInProcessGroup } from './process-group';

/** Rounds of killing before the worker gives up on processes that keep appearing. */
const MAX_ROUNDS = 50;
const ROUND_PAUSE_MS = 20;

/**
 * Kills every process of the agent's uid, not only its process group: a `setsid` or double-forked child
 * leaves the group, and Fargate offers neither a pid namespace nor a cgroup of the agent's own, so the uid is
 * the one mark the kernel keeps on everything the agent started. Each round is a `kill(-1, SIGKILL)` made as
 * the agent's uid, which the kernel delivers to every process of that uid in one pass under the task list's
 * lock (so a fork bomb cannot outrun it), then a look through /proc; repeated until none is left running.
 * A worker that shares the agent's uid cannot do this (it would kill itself): it has only the process group.
 */
export async function killAgentProcesses(identity: AgentIdentity): Promise<number> {
  if (!identity.separate) {
    return 0;
  }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const left = await runningProcessesOf(identity.uid);
    if (left.length === 0) {
      return round;
    }
    const { command, args } = asAgent(identity, 'kill', ['-9', '--', '-1']);
    await runInProcessGroup(command, args, { cwd: '/', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, graceMs: 1000, timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, ROUND_PAUSE_MS));
  }
  const left = await runningProcessesOf(identity.uid);
  if (left.length > 0) {
    throw new Error(`processes of the agent's uid ${identity.uid} survived ${MAX_ROUNDS} rounds of SIGKILL: ${left.join(', ')}`);
  }
  return MAX_ROUNDS;
}

/** Pids whose real, effective, saved or file-system uid is `uid`, zombies (dead already) left out. */
export async function runningProcessesOf(uid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
    const uids = /^Uid:\s+(.*)$/m.exec(status)?.[1].split(/\s+/).map(Number) ?? [];
    const state = /^State:\s+(\S)/m.exec(status)?.[1];
    if (uids.includes(uid) && state !== 'Z' && state !== 'X') {
      pids.push(Number(entry));
    }
  }
  return pids;
}
