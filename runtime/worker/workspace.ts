import * as path from 'path';
import type { Assignment } from './assignment';
import type { WorkerConfig } from './config';

/** Where a dispatch's files live. */
export interface WorkspaceLayout {
  /** The directory the agent works in. */
  readonly workdir: string;
  /** The worker's own git directories: outside the work tree (and off a persistent workspace's volume). */
  readonly gitRoot: string;
  /** The artifacts, outside the working tree so that they are never committed. */
  readonly artifacts: {
    readonly directory: string;
    readonly transcript: string;
    readonly stderr: string;
    readonly patch: string;
  };
}

export function workspaceLayout(config: Pick<WorkerConfig, 'workspaceRoot' | 'persistentWorkspacePath'>, assignment: Pick<Assignment, 'dispatchId' | 'workspace'>): WorkspaceLayout {
  const workdir = assignment.workspace.kind === 'persistent'
    ? config.persistentWorkspacePath
    : path.join(config.workspaceRoot, assignment.dispatchId);
  const directory = path.join(config.workspaceRoot, '.outpost', assignment.dispatchId);
  return {
    workdir,
    gitRoot: path.join(config.workspaceRoot, '.outpost', `${assignment.dispatchId}.git`),
    artifacts: {
      directory,
      transcript: path.join(directory, 'transcript.log'),
      stderr: path.join(directory, 'stderr.log'),
      patch: path.join(directory, 'changes.patch'),
    },
  };
}
