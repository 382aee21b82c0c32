import type { BigIntStats } from 'fs';
import { lstat, opendir } from 'fs/promises';
import * as path from 'path';
import type { WorkspaceSize } from '../contracts/workspace-size';

export interface WalkLimits {
  /** Entries to look at, the root included. */
  readonly maxEntries: number;
  readonly timeoutMs: number;
}

/**
 * A million entries (a large monorepo with its dependencies) in at most 30 s: the agent controls the tree, and
 * after a cancellation the worker has to upload result.json within the task's 2-minute stop timeout.
 */
export const WALK_LIMITS: WalkLimits = { maxEntries: 1_000_000, timeoutMs: 30_000 };

/** EFS meters 2 KiB of metadata per object on top of its data (https://docs.aws.amazon.com/efs/latest/ug/metered-sizes.html). */
const METADATA_BYTES = 2048;
/** `st_blocks` counts 512-byte units; on EFS it is the object's metered data size. */
const BLOCK_BYTES = 512;
/** lstat calls in flight: NFS round trips dominate, and the thread pool runs four at a time. */
const CONCURRENT_STATS = 16;

/**
 * Measures the tree under `root` as EFS meters it: every object once (a hard-linked file by its first link),
 * its allocated blocks plus its metadata. Never follows a symbolic link, which the agent could point anywhere:
 * the link itself is measured, not its target. Rejects only when `root` is missing or not a directory.
 */
export async function measureWorkspace(root: string, limits: WalkLimits = WALK_LIMITS): Promise<WorkspaceSize> {
  const deadline = Date.now() + limits.timeoutMs;
  const top = await lstat(root, { bigint: true });
  if (!top.isDirectory()) {
    throw new Error(`${root} is not a directory`);
  }
  const tally = new Tally(limits.maxEntries);
  tally.add(top);
  const directories = [root];
  const late = () => Date.now() > deadline;
  while (directories.length > 0 && tally.room() > 0 && !late()) {
    const directory = directories.pop()!;
    const listed = await list(directory, tally.room());
    tally.complete &&= listed.complete;
    for (let start = 0; start < listed.names.length; start += CONCURRENT_STATS) {
      if (late()) {
        return { bytes: tally.bytes, complete: false };
      }
      const paths = listed.names.slice(start, start + CONCURRENT_STATS).map((name) => path.join(directory, name));
      const stats = await Promise.all(paths.map((entry) => lstat(entry, { bigint: true }).catch(() => undefined)));
      stats.forEach((stat, index) => {
        if (!stat) {
          tally.complete = false;
        } else if (tally.add(stat) && stat.isDirectory()) {
          directories.push(paths[index]);
        }
      });
    }
  }
  return { bytes: tally.bytes, complete: tally.complete && directories.length === 0 };
}

class Tally {
  public bytes = 0;
  public complete = true;
  private entries = 0;
  /** The hard-linked inodes seen so far: the only objects a walk that follows no link can meet twice. */
  private readonly linked = new Set<string>();

  constructor(private readonly maxEntries: number) {}

  room(): number {
    return this.maxEntries - this.entries;
  }

  /** Counts an entry; false when it is another link to an object already measured. */
  add(stat: BigIntStats): boolean {
    this.entries += 1;
    if (!stat.isDirectory() && stat.nlink > 1n) {
      const inode = `${stat.dev}:${stat.ino}`;
      if (this.linked.has(inode)) {
        return false;
      }
      this.linked.add(inode);
    }
    this.bytes += Number(stat.blocks) * BLOCK_BYTES + METADATA_BYTES;
    return true;
  }
}

/** Up to `max` names in `directory`, read as a stream so that a huge directory stops at the budget. */
async function list(directory: string, max: number): Promise<{ names: string[]; complete: boolean }> {
  const names: string[] = [];
  try {
    for await (const entry of await opendir(directory)) {
      if (names.length === max) {
        return { names, complete: false };
      }
      names.push(entry.name);
    }
  } catch {
    return { names, complete: false };
  }
  return { names, complete: true };
}
