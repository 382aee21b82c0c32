import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GIT_HARDENING_ARGS, gitEnvironment, trustedRepositoryConfig, type GitCredential } from '../../runtime/worker/git-security';

const CREDENTIAL: GitCredential = { username: 'x-access-token', token: 'ghs_secret123', host: 'github.com' };

describe('git hardening', () => {
  let repository: string;

  beforeEach(() => {
    repository = fs.mkdtempSync(path.join(os.tmpdir(), 'git-security-'));
    git([], ['init', '--quiet']);
  });
  afterEach(() => fs.rmSync(repository, { recursive: true, force: true }));

  function git(extraArgs: readonly string[], args: string[], input?: string, credential?: GitCredential) {
    return spawnSync('git', [...extraArgs, ...args], {
      cwd: repository,
      input,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: repository, ...gitEnvironment(credential) },
    });
  }

  function fill(host: string, credential: GitCredential | undefined) {
    return git(GIT_HARDENING_ARGS, ['credential', 'fill'], `protocol=https\nhost=${host}\n\n`, credential);
  }

  test('the credential helper answers for the repository host from the environment', () => {
    const result = fill('github.com', CREDENTIAL);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('username=x-access-token\npassword=ghs_secret123\n');
  });

  test('the credential helper answers nothing for another host, or without a credential', () => {
    for (const result of [fill('evil.example.com', CREDENTIAL), fill('github.com', undefined)]) {
      expect(result.status).not.toBe(0);
      expect(result.stdout).not.toContain('password=');
    }
  });

  test('helpers configured in the repository are not consulted', () => {
    git([], ['config', 'credential.helper', '!f() { echo username=planted; echo password=from-the-repository; }; f']);
    expect(git([], ['credential', 'fill'], 'protocol=https\nhost=evil.example.com\n\n').stdout).toContain('from-the-repository');

    expect(fill('evil.example.com', CREDENTIAL).stdout).not.toContain('from-the-repository');
    expect(fill('github.com', CREDENTIAL).stdout).toContain('password=ghs_secret123');
  });

  test('hooks do not run, wherever they are configured', () => {
    const marker = path.join(repository, 'hook-ran');
    const hooks = path.join(repository, '.git', 'other-hooks');
    fs.mkdirSync(hooks);
    for (const directory of [path.join(repository, '.git', 'hooks'), hooks]) {
      fs.writeFileSync(path.join(directory, 'pre-commit'), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    }
    git([], ['config', 'core.hooksPath', hooks]);

    expect(git(GIT_HARDENING_ARGS, ['commit', '--quiet', '--allow-empty', '-m', 'hardened']).status).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
    expect(git([], ['commit', '--quiet', '--allow-empty', '-m', 'plain']).status).toBe(0);
    expect(fs.existsSync(marker)).toBe(true);
  });

  test('commits are made as the Outpost agent', () => {
    git(GIT_HARDENING_ARGS, ['commit', '--quiet', '--allow-empty', '-m', 'x']);
    expect(git([], ['log', '-1', '--format=%an <%ae> / %cn <%ce>']).stdout.trim()).toBe('Outpost Agent <agent@outpost.invalid> / Outpost Agent <agent@outpost.invalid>');
  });

  test('the trusted configuration is one git reads, naming only the remote', () => {
    fs.writeFileSync(path.join(repository, '.git', 'config'), trustedRepositoryConfig('https://github.com/acme/widgets.git'));
    expect(git([], ['config', '--local', '--list']).stdout.trim().split('\n')).toEqual([
      'core.repositoryformatversion=0',
      'core.filemode=true',
      'core.bare=false',
      'core.logallrefupdates=true',
      'remote.origin.url=https://github.com/acme/widgets.git',
      'remote.origin.fetch=+refs/heads/*:refs/remotes/origin/*',
    ]);
  });
});
