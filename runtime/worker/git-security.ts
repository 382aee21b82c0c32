/** The git credential for one repository host. */
export interface GitCredential {
  readonly username: string;
  readonly token: string;
  /** `host[:port]` of the https repository: the only host the credential is given to. */
  readonly host: string;
}

/**
 * A credential helper that answers `get` from the environment, and only for the repository's host, so
 * that the token is never written to disk (.git/config, ~/.git-credentials) or put in a URL, and a
 * redirected remote (`url.*.insteadOf`) cannot draw it elsewhere. Git appends the action (`get`, `store`,
 * `erase`) as `$1` and writes the request (`host=...` lines, then a blank line) to stdin.
 */
const CREDENTIAL_HELPER = '!f() { test "$1" = get || return 0; host=; '
  + 'while IFS= read -r line && test -n "$line"; do case "$line" in host=*) host="${line#host=}";; esac; done; '
  + 'test -n "$OUTPOST_GIT_PASSWORD" && test "$host" = "$OUTPOST_GIT_HOST" || return 0; '
  + 'printf \'username=%s\\npassword=%s\\n\' "$OUTPOST_GIT_USERNAME" "$OUTPOST_GIT_PASSWORD"; }; f';

/**
 * Options for every git command the worker runs. The worker's git directories are its own (repository.ts),
 * so these are a second line: command-line configuration outranks any file's. Hooks are off (a pre-push
 * hook would run with the credential in its environment), fsmonitor is off (it names a command), no
 * attributes file outside the tree is read, and the helper list is reset so that only ours answers.
 */
export const GIT_HARDENING_ARGS: readonly string[] = [
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.fsmonitor=false',
  '-c', 'core.attributesFile=/dev/null',
  '-c', 'credential.helper=',
  '-c', `credential.helper=${CREDENTIAL_HELPER}`,
];

/** A home that does not exist: the worker's git reads nothing of a user's. */
const NO_HOME = '/nonexistent';

/**
 * The environment additions for git: no prompts (a task has no terminal), no system or global configuration
 * and no home (HOME is the agent's to write), SSH that fails rather than asks, the identity commits are made
 * under, and the credential for the helper.
 */
export function gitEnvironment(credential: GitCredential | undefined): Record<string, string> {
  return {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Outpost Agent',
    GIT_AUTHOR_EMAIL: 'agent@outpost.invalid',
    GIT_COMMITTER_NAME: 'Outpost Agent',
    GIT_COMMITTER_EMAIL: 'agent@outpost.invalid',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_GLOBAL: '/dev/null',
    // HOME and XDG_CONFIG_HOME are the agent's to write: git would read an ignore file (hiding the agent's
    // change from the commit) and attributes there, and libcurl a ~/.netrc. None of them exist here.
    HOME: NO_HOME,
    XDG_CONFIG_HOME: NO_HOME,
    GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
    ...(credential ? { OUTPOST_GIT_USERNAME: credential.username, OUTPOST_GIT_PASSWORD: credential.token, OUTPOST_GIT_HOST: credential.host } : {}),
  };
}

/**
 * The configuration of each git directory the worker creates (repository.ts), and all of it: no filter,
 * diff or merge driver, no `url.*.insteadOf`, no `core.sshCommand`, no include. A `.gitattributes` in the
 * tree that names a driver runs nothing: gitattributes(5) makes a filter driver missing from configuration
 * a no-op pass-through, and a diff or merge driver without configuration falls back to git's built-in one.
 */
export function trustedRepositoryConfig(url: string): string {
  return [
    '[core]',
    '\trepositoryformatversion = 0',
    '\tfilemode = true',
    '\tbare = false',
    '\tlogallrefupdates = true',
    '[remote "origin"]',
    `\turl = ${url}`,
    '\tfetch = +refs/heads/*:refs/remotes/origin/*',
    '',
  ].join('\n');
}
