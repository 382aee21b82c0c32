import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { branchCommit, createRemote, git } from './support/git-repositories';
import { Git } from '../../runtime/worker/git';
import { Logger } from '../../runtime/worker/logger';
import { Redactor } from '../../runtime/worker/redactor';
import { checkOut, publish, type Checkout, type CheckoutRequest } from '../../runtime/worker/repository';

/**
 * What an agent can write into its workspace to make the worker's git run its code with the credential in
 * the environment, as the review in issue 15 showed with `.git/commondir`. Each route plants a command
 * (steal.sh) that appends its environment to a loot file; none of them may run, and the push must still
 * reach the right remote with the agent's change.
 */
const SECRET = 'ghs_hostileGitToken0123456789abcdef';

describe('the agent cannot configure the worker\'s git (real git, local remote)', () => {
  let root: string;
  let remote: { directory: string; url: string };
  let loot: string;
  let steal: string;
  let filter: string;
  let git_: Git;
  let runs = 0;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-hostile-git-'));
    remote = createRemote(root);
    loot = path.join(root, 'loot');
    steal = script('steal.sh', `env >> '${loot}'\nexit 0\n`);
    // A clean/smudge filter's output is the content git stores: it would carry the token into the push too.
    filter = script('filter.sh', `env >> '${loot}'\ncat\necho "$OUTPOST_GIT_PASSWORD"\n`);
    git_ = new Git({ PATH: process.env.PATH, HOME: path.join(root, 'home') }, { username: 'x-access-token', token: SECRET, host: 'git.outpost.test' }, new Redactor());
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function script(name: string, body: string): string {
    const file = path.join(root, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}`, { mode: 0o755 });
    return file;
  }

  function request(directory: string): CheckoutRequest {
    runs += 1;
    return {
      url: remote.url,
      baseBranch: 'main',
      workBranch: `outpost/run-${runs}`,
      directory,
      gitRoot: path.join(root, 'worker', `run-${runs}.git`),
      scratchPatterns: ['.scratch/'],
      signal: new AbortController().signal,
    };
  }

  const quiet = new Logger(new Redactor(), null, () => undefined);

  /** Clones, lets `plant` act as the agent, writes the agent's change, publishes. */
  async function runWith(plant: (workdir: string) => void, workdir = path.join(root, 'workspace')): Promise<Checkout> {
    const checkout = await checkOut(git_, request(workdir), quiet);
    fs.writeFileSync(path.join(workdir, 'hello.txt'), 'hello from the agent\n');
    plant(workdir);
    await publish(git_, checkout, 'Agent change', path.join(root, `changes-${runs}.patch`));
    return checkout;
  }

  function agentConfig(workdir: string, text: string): void {
    fs.appendFileSync(path.join(workdir, '.git', 'config'), text);
  }

  const filterDriver = () => `[filter "x"]\n\tclean = ${filter}\n\tsmudge = ${filter}\n\trequired = true\n[diff "x"]\n\tcommand = ${steal}\n\ttextconv = ${steal}\n[merge "x"]\n\tdriver = ${steal}\n`;
  const attributes = '* filter=x diff=x merge=x\n';

  function expectNothingRanAndPushed(checkout: Checkout, extraFiles: string[] = []): void {
    expect(fs.existsSync(loot) ? fs.readFileSync(loot, 'utf8') : 'nothing ran').toBe('nothing ran');
    const branch = checkout.workBranch;
    expect(git(remote.directory, 'rev-parse', `${branch}^`)).toBe(branchCommit(remote.directory, 'main'));
    const names = git(remote.directory, 'ls-tree', '-r', '--name-only', branch).split('\n');
    expect(names.sort()).toEqual(['README.md', 'hello.txt', ...extraFiles].sort());
    expect(git(remote.directory, 'show', `${branch}:hello.txt`)).toBe('hello from the agent');
    const carrying = names.filter((name) => git(remote.directory, 'show', `${branch}:${name}`).includes(SECRET));
    expect(carrying).toEqual([]);
  }

  test('.git/commondir pointing at a directory with a filter, fsmonitor and hooks, and a .gitattributes that names the filter', async () => {
    const checkout = await runWith((workdir) => {
      const common = path.join(root, 'evil-common');
      fs.cpSync(path.join(workdir, '.git'), common, { recursive: true });
      fs.writeFileSync(path.join(common, 'config'), `[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tfsmonitor = ${steal}\n\thooksPath = ${path.join(common, 'hooks')}\n${filterDriver()}`);
      fs.mkdirSync(path.join(common, 'hooks'), { recursive: true });
      fs.copyFileSync(steal, path.join(common, 'hooks', 'pre-commit'));
      fs.writeFileSync(path.join(workdir, '.git', 'commondir'), common);
      fs.writeFileSync(path.join(workdir, '.gitattributes'), attributes);
    });
    expectNothingRanAndPushed(checkout, ['.gitattributes']);
  });

  test('.git replaced by a gitfile that points at a git directory of the agent\'s', async () => {
    const checkout = await runWith((workdir) => {
      const evil = path.join(root, 'evil-gitdir');
      fs.cpSync(path.join(workdir, '.git'), evil, { recursive: true });
      fs.appendFileSync(path.join(evil, 'config'), filterDriver());
      fs.rmSync(path.join(workdir, '.git'), { recursive: true });
      fs.writeFileSync(path.join(workdir, '.git'), `gitdir: ${evil}\n`);
      fs.writeFileSync(path.join(workdir, '.gitattributes'), attributes);
    });
    expectNothingRanAndPushed(checkout, ['.gitattributes']);
  });

  test('config.worktree with extensions.worktreeConfig, and worktrees/', async () => {
    const checkout = await runWith((workdir) => {
      agentConfig(workdir, '[core]\n\trepositoryformatversion = 1\n[extensions]\n\tworktreeConfig = true\n');
      fs.writeFileSync(path.join(workdir, '.git', 'config.worktree'), filterDriver());
      fs.mkdirSync(path.join(workdir, '.git', 'worktrees', 'x'), { recursive: true });
      fs.writeFileSync(path.join(workdir, '.git', 'worktrees', 'x', 'config.worktree'), filterDriver());
      fs.writeFileSync(path.join(workdir, '.gitattributes'), attributes);
    });
    expectNothingRanAndPushed(checkout, ['.gitattributes']);
  });

  test('the agent\'s HOME (XDG config: an ignore file hiding its change, attributes naming the filter) reaches no worker git', async () => {
    const checkout = await runWith(() => {
      const config = path.join(root, 'home', '.config', 'git');
      fs.mkdirSync(config, { recursive: true });
      fs.writeFileSync(path.join(config, 'ignore'), 'hello.txt\n');
      fs.writeFileSync(path.join(config, 'attributes'), attributes);
      fs.writeFileSync(path.join(config, 'config'), filterDriver());
      fs.writeFileSync(path.join(root, 'home', '.netrc'), 'machine git.outpost.test login agent password agents-own\n');
    });
    expectNothingRanAndPushed(checkout);
  });

  test('hooks in .git/hooks and core.hooksPath', async () => {
    const checkout = await runWith((workdir) => {
      const hooks = path.join(workdir, '.git', 'hooks');
      fs.mkdirSync(hooks, { recursive: true });
      for (const hook of ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'pre-push', 'post-checkout', 'reference-transaction', 'post-index-change', 'pre-auto-gc']) {
        fs.copyFileSync(steal, path.join(hooks, hook));
      }
      agentConfig(workdir, `[core]\n\thooksPath = ${hooks}\n`);
    });
    expectNothingRanAndPushed(checkout);
  });

  test('core.fsmonitor, core.attributesFile and includeIf', async () => {
    const checkout = await runWith((workdir) => {
      const included = path.join(root, 'included.conf');
      const attributesFile = path.join(root, 'attributes');
      fs.writeFileSync(included, `[core]\n\tfsmonitor = ${steal}\n\tattributesFile = ${attributesFile}\n${filterDriver()}`);
      fs.writeFileSync(attributesFile, attributes);
      agentConfig(workdir, `[includeIf "gitdir:/"]\n\tpath = ${included}\n[include]\n\tpath = ${included}\n`);
    });
    expectNothingRanAndPushed(checkout);
  });

  test('.git/info/attributes naming a filter that the agent\'s config defines', async () => {
    const checkout = await runWith((workdir) => {
      agentConfig(workdir, filterDriver());
      fs.mkdirSync(path.join(workdir, '.git', 'info'), { recursive: true });
      fs.writeFileSync(path.join(workdir, '.git', 'info', 'attributes'), attributes);
    });
    expectNothingRanAndPushed(checkout);
  });

  test('a nested repository in the work tree, with a filter, fsmonitor and hooks of its own', async () => {
    const checkout = await runWith((workdir) => {
      const nested = path.join(workdir, 'nested');
      fs.mkdirSync(nested);
      git(nested, 'init', '--quiet');
      fs.writeFileSync(path.join(nested, 'file.txt'), 'nested\n');
      git(nested, 'add', 'file.txt');
      git(nested, 'commit', '--quiet', '-m', 'nested');
      fs.appendFileSync(path.join(nested, '.git', 'config'), `[core]\n\tfsmonitor = ${steal}\n${filterDriver()}`);
      fs.copyFileSync(steal, path.join(nested, '.git', 'hooks', 'post-index-change'));
      fs.writeFileSync(path.join(nested, '.gitattributes'), attributes);
    });
    expect(fs.existsSync(loot) ? fs.readFileSync(loot, 'utf8') : 'nothing ran').toBe('nothing ran');
    // git records a nested repository as a gitlink (a commit id), never its files or its .git.
    expect(git(remote.directory, 'ls-tree', checkout.workBranch, 'nested')).toMatch(/^160000 commit [0-9a-f]{40}\tnested$/);
  });

  test('url.*.insteadOf to another remote, and to an ssh URL with core.sshCommand', async () => {
    const other = path.join(root, 'other.git');
    git(root, 'init', '--quiet', '--bare', other);
    const checkout = await runWith((workdir) => {
      agentConfig(workdir, `[url "file://${other}"]\n\tpushInsteadOf = ${remote.url}\n`
        + `[url "ssh://evil.invalid/x"]\n\tinsteadOf = ${remote.url}\n[core]\n\tsshCommand = ${steal}\n`);
    });
    expectNothingRanAndPushed(checkout);
    expect(git(other, 'for-each-ref')).toBe('');
  });

  test('GIT_* variables in the environment the worker inherits do not reach its git', async () => {
    // The agent cannot set the worker's environment; git must still read its configuration from nowhere else.
    git_ = new Git({
      PATH: process.env.PATH,
      HOME: path.join(root, 'home'),
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'filter.x.clean',
      GIT_CONFIG_VALUE_0: filter,
    }, { username: 'x-access-token', token: SECRET, host: 'git.outpost.test' }, new Redactor());
    const checkout = await runWith((workdir) => fs.writeFileSync(path.join(workdir, '.gitattributes'), attributes));
    expectNothingRanAndPushed(checkout, ['.gitattributes']);
  });

  test('the agent still works in a normal repository: status, diff and commits of its own, folded into the one published commit', async () => {
    const checkout = await runWith((workdir) => {
      expect(git(workdir, 'status', '--porcelain')).toBe('?? hello.txt');
      fs.writeFileSync(path.join(workdir, 'committed.txt'), 'committed by the agent\n');
      fs.mkdirSync(path.join(workdir, '.scratch'));
      fs.writeFileSync(path.join(workdir, '.scratch', 'session.json'), '{}');
      git(workdir, 'add', 'committed.txt');
      git(workdir, 'commit', '--quiet', '-m', 'the agent\'s own commit');
    });
    expectNothingRanAndPushed(checkout, ['committed.txt']);
    expect(git(remote.directory, 'log', '--format=%s', '-1', checkout.workBranch)).toBe('Agent change');
    expect(fs.readFileSync(path.join(root, `changes-${runs}.patch`), 'utf8')).toContain('+committed by the agent');
  });

  test('a persistent workspace: what one run planted runs neither in the next run\'s fetch and checkout nor in its push', async () => {
    const workdir = path.join(root, 'persistent');
    const plantEverything = (directory: string) => {
      const common = path.join(root, 'evil-common');
      fs.rmSync(common, { recursive: true, force: true });
      fs.cpSync(path.join(directory, '.git'), common, { recursive: true });
      fs.writeFileSync(path.join(common, 'config'), `[core]\n\tbare = false\n\tfsmonitor = ${steal}\n${filterDriver()}`);
      fs.writeFileSync(path.join(directory, '.git', 'commondir'), common);
      fs.mkdirSync(path.join(common, 'hooks'), { recursive: true });
      for (const hook of ['post-checkout', 'reference-transaction', 'post-index-change']) {
        fs.copyFileSync(steal, path.join(common, 'hooks', hook));
      }
      fs.writeFileSync(path.join(directory, '.gitattributes'), attributes);
      fs.writeFileSync(path.join(directory, '.git', 'info', 'attributes'), attributes);
    };
    await runWith(plantEverything, workdir);
    fs.rmSync(loot, { force: true });
    plantEverything(workdir); // what the agent could leave after the worker last touched the workspace

    const next = await checkOut(git_, request(workdir), quiet);
    expect(fs.existsSync(loot)).toBe(false);
    // The next agent starts from main, in a clean repository: no commondir, the planted files gone.
    expect(fs.existsSync(path.join(workdir, '.git', 'commondir'))).toBe(false);
    expect(fs.existsSync(path.join(workdir, '.gitattributes'))).toBe(false);
    expect(git(workdir, 'rev-parse', 'HEAD')).toBe(branchCommit(remote.directory, 'main'));
    fs.writeFileSync(path.join(workdir, 'hello.txt'), 'hello from the agent\n');
    await publish(git_, next, 'Agent change', path.join(root, 'next.patch'));
    expectNothingRanAndPushed(next);
  });
});
