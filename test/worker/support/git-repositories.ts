import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();
}

/** A bare repository with a `main` branch holding one README commit: the "remote" the worker clones. */
export function createRemote(root: string): { readonly directory: string; readonly url: string } {
  const directory = path.join(root, 'remote.git');
  const seed = path.join(root, 'seed');
  fs.mkdirSync(seed, { recursive: true });
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', directory);
  git(seed, 'init', '--quiet', '--initial-branch=main');
  fs.writeFileSync(path.join(seed, 'README.md'), '# fixture\n');
  git(seed, 'add', 'README.md');
  git(seed, 'commit', '--quiet', '-m', 'Initial commit');
  git(seed, 'push', '--quiet', directory, 'main');
  return { directory, url: `file://${directory}` };
}

/** The commit a branch points at in a bare repository, or undefined when there is no such branch. */
export function branchCommit(bare: string, branch: string): string | undefined {
  try {
    return git(bare, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`);
  } catch {
    return undefined;
  }
}
