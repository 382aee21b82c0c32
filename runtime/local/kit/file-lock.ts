import * as fs from 'fs';
import * as path from 'path';

const POLL_MS = 250;
/** A lock directory without a pid for this long lost its holder between `mkdir` and writing the pid. */
const ORPHAN_MS = 10_000;

/**
 * Runs `work` holding a lock shared by every process on this machine: a directory, which `mkdir` creates
 * atomically, with the holder's pid in it. A lock whose holder has died (a killed jest worker) is broken.
 */
export async function withLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      if (holderIsGone(lock)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
  try {
    return await work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function holderIsGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    // Created but no pid yet: the holder is writing it, unless it died in between long ago.
    const stat = fs.statSync(lock, { throwIfNoEntry: false });
    return stat !== undefined && Date.now() - stat.mtimeMs > ORPHAN_MS;
  }
  return !isRunning(pid);
}

/** Whether a process of this machine is still running (signal 0 checks without signalling). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
