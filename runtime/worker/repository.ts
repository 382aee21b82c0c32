import { appendFile, mkdir, readdir, rm, stat, writeFile } from 'fs/promises';
import * as path from 'path';
import type { Git } from './git';
import { trustedRepositoryConfig } from './git-security';
import type { Logger } from './logger';

export interface CheckoutRequest {
  readonly url: string;
  readonly baseBranch: string;
  /** The local branch the agent works on, pushed under the same name. */
  readonly workBranch: string;
  readonly directory: string;
  /** Patterns (gitignore syntax) the agent's CLI writes for itself, kept out of the commit. */
  readonly scratchPatterns: readonly string[];
  readonly signal: AbortSignal;
}

export interface Checkout {
  readonly url: string;
  readonly directory: string;
  readonly workBranch: string;
  /** The commit the agent started from: the diff and the "anything to push?" test are against it. */
  readonly baseCommit: string;
}

export interface Publication {
  readonly commit: string | null;
  readonly branch: string | null;
}

/** A push must not eat the 120 s that ECS allows between SIGTERM and SIGKILL. */
const PUSH_TIMEOUT_MS = 60_000;

/**
 * Puts the base branch in the workspace: a shallow clone when the server allows one, a full clone when it
 * does not; on a persistent workspace that already holds a clone, a fetch and a forced checkout instead.
 */
export async function checkOut(git: Git, request: CheckoutRequest, logger: Logger): Promise<Checkout> {
  const { directory, signal } = request;
  await mkdir(directory, { recursive: true });
  if (await isDirectory(path.join(directory, '.git'))) {
    // An earlier agent may have left its own configuration behind: replace it before git reads it.
    await writeTrustedConfig(directory, request.url);
    logger.info('clone', 'the workspace holds a clone: fetching the base branch', { baseBranch: request.baseBranch });
    await refresh(git, request, logger);
  } else if ((await readdir(directory)).length > 0) {
    throw new Error(`the workspace ${directory} is neither empty nor a git repository`);
  } else {
    logger.info('clone', 'cloning the base branch', { baseBranch: request.baseBranch });
    await clone(git, request, logger);
  }
  await writeTrustedConfig(directory, request.url);
  if (request.scratchPatterns.length > 0) {
    await mkdir(path.join(directory, '.git', 'info'), { recursive: true });
    await appendFile(path.join(directory, '.git', 'info', 'exclude'), `\n${request.scratchPatterns.join('\n')}\n`);
  }
  const baseCommit = await git.run(directory, ['rev-parse', 'HEAD'], { signal });
  return { url: request.url, directory, workBranch: request.workBranch, baseCommit };
}

/**
 * Commits whatever the agent left (on top of any commits it made itself), writes the patch against the
 * base commit, and pushes the work branch. Nothing to push when the agent changed nothing.
 */
export async function publish(git: Git, checkout: Checkout, message: string, patchPath: string): Promise<Publication> {
  const { directory, baseCommit } = checkout;
  await writeTrustedConfig(directory, checkout.url);
  await git.run(directory, ['add', '--all']);
  if (!(await git.succeeds(directory, ['diff', '--cached', '--quiet']))) {
    await git.run(directory, ['commit', '--no-verify', '--quiet', '--message', message]);
  }
  const head = await git.run(directory, ['rev-parse', 'HEAD']);
  if (head === baseCommit) {
    return { commit: null, branch: null };
  }
  await git.run(directory, ['diff', '--binary', `--output=${patchPath}`, baseCommit, head]);
  await git.run(directory, ['push', '--no-verify', '--quiet', checkout.url, `HEAD:refs/heads/${checkout.workBranch}`], { timeoutMs: PUSH_TIMEOUT_MS });
  return { commit: head, branch: checkout.workBranch };
}

async function clone(git: Git, request: CheckoutRequest, logger: Logger): Promise<void> {
  const { url, baseBranch, workBranch, directory, signal } = request;
  const parent = path.dirname(directory);
  try {
    await git.run(parent, ['clone', '--depth', '1', '--branch', baseBranch, '--single-branch', '--', url, directory], { signal });
    await git.run(directory, ['checkout', '-b', workBranch]);
    return;
  } catch (error) {
    if (signal.aborted) {
      throw error;
    }
    // Dumb-HTTP servers (and some proxies) cannot serve a shallow clone.
    logger.warn('clone', 'shallow clone failed; cloning in full', { error: String(error) });
  }
  await emptyDirectory(directory);
  await git.run(parent, ['clone', '--no-checkout', '--', url, directory], { signal });
  for (const start of [`refs/remotes/origin/${baseBranch}`, `refs/tags/${baseBranch}`]) {
    if (await git.succeeds(directory, ['rev-parse', '--verify', '--quiet', `${start}^{commit}`])) {
      await git.run(directory, ['checkout', '-B', workBranch, start]);
      return;
    }
  }
  throw new Error(`the repository has no branch or tag ${baseBranch}`);
}

async function refresh(git: Git, request: CheckoutRequest, logger: Logger): Promise<void> {
  const { baseBranch, workBranch, directory, signal } = request;
  try {
    await git.run(directory, ['fetch', '--depth', '1', 'origin', baseBranch], { signal });
  } catch (error) {
    if (signal.aborted) {
      throw error;
    }
    logger.warn('clone', 'shallow fetch failed; fetching in full', { error: String(error) });
    await git.run(directory, ['fetch', 'origin', baseBranch], { signal });
  }
  await git.run(directory, ['checkout', '--force', '-B', workBranch, 'FETCH_HEAD']);
  // Untracked files from an earlier run go; ignored ones (dependency caches) are what persistence is for.
  await git.run(directory, ['clean', '-d', '--force']);
}

/** Replaces .git/config, and a symlink the agent may have put in its place rather than its target. */
async function writeTrustedConfig(directory: string, url: string): Promise<void> {
  const configPath = path.join(directory, '.git', 'config');
  await rm(configPath, { force: true });
  await writeFile(configPath, trustedRepositoryConfig(url), { flag: 'wx' });
}

async function emptyDirectory(directory: string): Promise<void> {
  for (const entry of await readdir(directory)) {
    await rm(path.join(directory, entry), { recursive: true, force: true });
  }
}

async function isDirectory(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isDirectory();
  } catch {
    return false;
  }
}
