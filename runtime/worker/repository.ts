import { cp, lstat, mkdir, readFile, readdir, rm, writeFile } from 'fs/promises';
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
  /** Where the worker keeps its own git directories: outside the work tree, never handed to the agent. */
  readonly gitRoot: string;
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
  readonly gitRoot: string;
  /** The git directory the base commit was fetched into: from here on, only a store of objects. */
  readonly fetchedGitDir: string;
  /** The fetched directory's `shallow` file as it was before the agent ran ('' after a full fetch). */
  readonly shallow: string;
  readonly scratchPatterns: readonly string[];
}

export interface Publication {
  readonly commit: string | null;
  readonly branch: string | null;
}

/** A push must not eat the 120 s that ECS allows between SIGTERM and SIGKILL. */
const PUSH_TIMEOUT_MS = 60_000;

/**
 * Puts the base branch in the workspace. The worker fetches it into a git directory of its own, outside
 * the work tree, and checks it out from there: a `.git` that an earlier agent left in a persistent
 * workspace is never read as a repository, only replaced. The agent then gets a copy of that directory
 * as the work tree's `.git`, a normal repository for `git status`, `diff` and commits of its own.
 */
export async function checkOut(git: Git, request: CheckoutRequest, logger: Logger): Promise<Checkout> {
  const { directory, signal } = request;
  await mkdir(directory, { recursive: true });
  const agentGitDir = path.join(directory, '.git');
  const entries = await readdir(directory);
  if (entries.length > 0 && !(await exists(agentGitDir))) {
    throw new Error(`the workspace ${directory} is neither empty nor a git repository`);
  }
  logger.info('clone', entries.length > 0 ? 'the workspace holds a clone: fetching the base branch' : 'cloning the base branch', { baseBranch: request.baseBranch });
  const fetchedGitDir = await createGitDirectory(git, request.gitRoot, 'fetched.git', request.url, request.scratchPatterns);
  await fetchBase(git, fetchedGitDir, request, logger);
  const worker = workerGit(git, fetchedGitDir, directory);
  await worker(['checkout', '--force', '--quiet', '-B', request.workBranch, 'FETCH_HEAD'], signal);
  // Untracked files from an earlier run go; ignored ones (dependency caches) are what persistence is for.
  await worker(['clean', '-d', '--force', '--quiet'], signal);
  const baseCommit = await worker(['rev-parse', 'HEAD'], signal);
  const shallow = await readFile(path.join(fetchedGitDir, 'shallow'), 'utf8').catch(() => '');
  await rm(agentGitDir, { recursive: true, force: true });
  await cp(fetchedGitDir, agentGitDir, { recursive: true });
  return {
    url: request.url,
    directory,
    workBranch: request.workBranch,
    baseCommit,
    gitRoot: request.gitRoot,
    fetchedGitDir,
    shallow,
    scratchPatterns: request.scratchPatterns,
  };
}

/**
 * Commits the work tree as the worker sees it, writes the patch against the base commit, and pushes the
 * work branch. Nothing to push when the agent changed nothing. The agent could write to every git
 * directory it can reach, so the commit is made in a new one: the worker's configuration, the base commit
 * as its only ref, the fetched objects as an alternate store (objects are data; git reads no configuration,
 * hooks or attributes from there). The work tree's `.git` is never used and never committed (git skips any
 * entry named `.git`): the agent's own commits are folded into the one published commit.
 */
export async function publish(git: Git, checkout: Checkout, message: string, patchPath: string): Promise<Publication> {
  const { directory, baseCommit, workBranch } = checkout;
  await disarmAgentConfig(directory, checkout.url);
  const gitDir = await createGitDirectory(git, checkout.gitRoot, 'published.git', checkout.url, checkout.scratchPatterns);
  await writeFile(path.join(gitDir, 'objects', 'info', 'alternates'), `${path.join(checkout.fetchedGitDir, 'objects')}\n`);
  if (checkout.shallow) {
    await writeFile(path.join(gitDir, 'shallow'), checkout.shallow);
  }
  const worker = workerGit(git, gitDir, directory);
  await worker(['update-ref', `refs/heads/${workBranch}`, baseCommit]);
  await worker(['symbolic-ref', 'HEAD', `refs/heads/${workBranch}`]);
  await worker(['read-tree', 'HEAD']);
  await worker(['add', '--all']);
  if (await git.succeeds(directory, [...gitDirArgs(gitDir, directory), 'diff', '--cached', '--quiet'])) {
    return { commit: null, branch: null };
  }
  await worker(['commit', '--no-verify', '--quiet', '--message', message]);
  const head = await worker(['rev-parse', 'HEAD']);
  await worker(['diff', '--binary', '--no-ext-diff', '--no-textconv', `--output=${patchPath}`, baseCommit, head]);
  await git.run(directory, [...gitDirArgs(gitDir, directory), 'push', '--no-verify', '--quiet', checkout.url, `HEAD:refs/heads/${workBranch}`], { timeoutMs: PUSH_TIMEOUT_MS });
  return { commit: head, branch: workBranch };
}

/**
 * A new, empty git directory under the worker's root, replacing whatever is there: git's templates
 * (sample hooks) left out, the worker's configuration, the scratch patterns as its excludes.
 */
async function createGitDirectory(git: Git, gitRoot: string, name: string, url: string, scratchPatterns: readonly string[]): Promise<string> {
  const gitDir = path.join(gitRoot, name);
  await rm(gitDir, { recursive: true, force: true });
  await mkdir(gitRoot, { recursive: true });
  await git.run(gitRoot, ['init', '--quiet', '--bare', '--template=', gitDir]);
  await rm(path.join(gitDir, 'config'));
  await writeFile(path.join(gitDir, 'config'), trustedRepositoryConfig(url), { flag: 'wx' });
  await mkdir(path.join(gitDir, 'info'), { recursive: true });
  await mkdir(path.join(gitDir, 'objects', 'info'), { recursive: true });
  await writeFile(path.join(gitDir, 'info', 'exclude'), scratchPatterns.length > 0 ? `${scratchPatterns.join('\n')}\n` : '');
  return gitDir;
}

/** Fetches the base branch (or tag) to FETCH_HEAD: shallow when the server allows it, in full when it does not. */
async function fetchBase(git: Git, gitDir: string, request: CheckoutRequest, logger: Logger): Promise<void> {
  const { baseBranch, signal } = request;
  const fetch = (depth: string[]) => git.run(request.gitRoot, [`--git-dir=${gitDir}`, 'fetch', '--quiet', ...depth, 'origin', baseBranch], { signal });
  try {
    await fetch(['--depth', '1']);
  } catch (error) {
    if (signal.aborted) {
      throw error;
    }
    // Dumb-HTTP servers (and some proxies) cannot serve a shallow fetch.
    logger.warn('clone', 'shallow fetch failed; fetching in full', { error: String(error) });
    await fetch([]);
  }
}

/** Git on the worker's own git directory, with the workspace as its work tree. */
function workerGit(git: Git, gitDir: string, workTree: string): (args: readonly string[], signal?: AbortSignal) => Promise<string> {
  return (args, signal) => git.run(workTree, [...gitDirArgs(gitDir, workTree), ...args], { signal });
}

function gitDirArgs(gitDir: string, workTree: string): string[] {
  return [`--git-dir=${gitDir}`, `--work-tree=${workTree}`];
}

/**
 * Replaces the configuration of the agent's `.git`, which the worker never uses, so that nobody who runs
 * git in the workspace later (a person looking into a persistent one) runs what the agent planted there.
 * A symlink the agent put in its place goes, not its target.
 */
async function disarmAgentConfig(directory: string, url: string): Promise<void> {
  const agentGitDir = path.join(directory, '.git');
  if (!(await lstat(agentGitDir).then((entry) => entry.isDirectory(), () => false))) {
    return;
  }
  const configPath = path.join(agentGitDir, 'config');
  await rm(configPath, { force: true });
  await writeFile(configPath, trustedRepositoryConfig(url), { flag: 'wx' });
}

async function exists(candidate: string): Promise<boolean> {
  try {
    await lstat(candidate);
    return true;
  } catch {
    return false;
  }
}
