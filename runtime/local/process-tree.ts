import * as fs from 'fs';

/**
 * Processes below a process, read from /proc's parent links (Outpost Local runs on Linux only): what a stopping
 * `outpost local serve` checks it leaves nothing of.
 */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    const stat = procStat(Number(name));
    if (stat) {
      children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(name)]);
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** A process's command line, its arguments joined by spaces ('' once it is gone). */
export function commandLineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Gone, or a zombie (it has exited; only its parent's wait is left). */
export function hasExited(pid: number): boolean {
  const stat = procStat(pid);
  return stat === undefined || stat.state === 'Z';
}

/** A process's parent and state from /proc/<pid>/stat (its name may hold spaces and parentheses). */
function procStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), state };
  } catch {
    return undefined;
  }
}
