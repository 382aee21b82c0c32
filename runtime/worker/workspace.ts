import { mkdir } from 'fs/promises';
import * as path from 'path';
import { handOver, workerDirectory, type AgentIdentity } from './agent-identity';
import type { WorkerConfig } from './config';
import type { Assignment } from '../contracts/assignment';

/** Where a dispatch's files live. */
export interface WorkspaceLayout {
  /** Where ephemeral work trees and the worker's directory live: the worker's (root, 0755). */
  readonly root: string;
  /** The worker's own directory under the root: git directories and artifacts (root, 0700). */
  readonly workerRoot: string;
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
  const workerRoot = path.join(config.workspaceRoot, '.outpost');
  const directory = path.join(workerRoot, assignment.dispatchId);
  return {
    root: config.workspaceRoot,
    workerRoot,
    workdir,
    gitRoot: path.join(workerRoot, `${assignment.dispatchId}.git`),
    artifacts: {
      directory,
      transcript: path.join(directory, 'transcript.log'),
      stderr: path.join(directory, 'stderr.log'),
      patch: path.join(directory, 'changes.patch'),
    },
  };
}

/**
 * The directories of a run, each with its owner: the workspace root and the worker's directory are root's
 * (the agent can neither read the worker's directory nor rename it away and plant its own), the work tree is
 * the agent's.
 */
export async function prepareWorkspace(layout: WorkspaceLayout, identity: AgentIdentity): Promise<void> {
  await workerDirectory(identity, layout.root, 0o755);
  await workerDirectory(identity, layout.workerRoot, 0o700);
  await workerDirectory(identity, layout.artifacts.directory, 0o700);
  await mkdir(layout.workdir, { recursive: true });
  await handOverWorkTree(layout, identity);
}

/** What the worker wrote in the work tree (the checkout, the agent's `.git`) becomes the agent's. */
export async function handOverWorkTree(layout: WorkspaceLayout, identity: AgentIdentity): Promise<void> {
  await handOver(identity, layout.workdir);
}
