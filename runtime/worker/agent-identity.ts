import { execFile } from 'child_process';
import { chmod, chown, mkdir } from 'fs/promises';
import { promisify } from 'util';
import { AGENT_GID, AGENT_UID } from '../../src/agents/agent-user';

const run = promisify(execFile);

/**
 * Who the agent runs as. In the task the worker is root (the task definition's `User: 0:0`) and the agent gets
 * the images' `agent` user with no privileges at all. A worker that is not root (a developer's machine, a
 * custom task definition) cannot switch users: the agent then runs as the worker does, and the worker says so.
 */
export interface AgentIdentity {
  /** False when the worker is not root and the agent shares its uid. */
  readonly separate: boolean;
  readonly uid: number;
  readonly gid: number;
}

export function agentIdentity(testUid?: number): AgentIdentity {
  const separate = process.getuid?.() === 0;
  return separate
    ? { separate, uid: testUid ?? AGENT_UID, gid: testUid ?? AGENT_GID }
    : { separate, uid: process.getuid?.() ?? AGENT_UID, gid: process.getgid?.() ?? AGENT_GID };
}

/**
 * The command line that runs `command` as the agent: util-linux `setpriv` (in every Ubuntu image) sets the
 * uid and gid, clears the supplementary groups, empties the bounding, inheritable and ambient capability
 * sets (permitted and effective go with the change of uid) and sets no_new_privs, so that no set-uid
 * program or file capability can give back what was taken. Node's own `spawn({ uid, gid })` would leave the
 * bounding set full and set-uid binaries (su, mount) usable.
 */
export function asAgent(identity: AgentIdentity, command: string, args: readonly string[]): { command: string; args: string[] } {
  if (!identity.separate) {
    return { command, args: [...args] };
  }
  return {
    command: 'setpriv',
    args: [
      `--reuid=${identity.uid}`, `--regid=${identity.gid}`, '--clear-groups',
      '--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all', '--no-new-privs',
      '--', command, ...args,
    ],
  };
}

/**
 * A directory only the worker can enter (root, 0700): its git directories and the artifacts. Also takes back
 * a directory the agent could otherwise rename or replace: the workspace root is made root's and 0755, so
 * that the agent can enter its own work tree under it but not move the worker's directories.
 */
export async function workerDirectory(identity: AgentIdentity, directory: string, mode: number): Promise<void> {
  await mkdir(directory, { recursive: true });
  if (identity.separate) {
    await chown(directory, 0, 0);
  }
  await chmod(directory, mode);
}

/**
 * Gives the agent what the worker wrote in its work tree (the checkout, the agent's `.git`): every entry
 * that is root's becomes the agent's, without following any symbolic link. On a persistent workspace the
 * access point already makes every file the workspace owner's, whoever writes it, so nothing there is root's
 * and this only looks.
 */
export async function handOver(identity: AgentIdentity, directory: string): Promise<void> {
  if (identity.separate) {
    await run('chown', ['-R', '-P', '--no-dereference', '--from=0', `${identity.uid}:${identity.gid}`, '--', directory]);
  }
}
