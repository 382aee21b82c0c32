/** A repository on GitHub (or GitHub Enterprise Server), as its REST API names it. */
export interface GitHubRepository {
  readonly owner: string;
  readonly name: string;
}

/** GitHub's owner and repository names: letters, digits, `-`, `_` and `.`, never just dots. */
const NAME = /^(?!\.+$)[A-Za-z0-9_.-]{1,100}$/;

/**
 * `owner/repo` of `https://host/owner/repo(.git)`. Undefined for any other path: the names go into API paths,
 * so nothing else may pass.
 */
export function parseGitHubRepository(url: string): GitHubRepository | undefined {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  const match = parsed && !parsed.search && !parsed.hash ? /^\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(parsed.pathname) : null;
  if (!match || !NAME.test(match[1]) || !NAME.test(match[2])) {
    return undefined;
  }
  return { owner: match[1], name: match[2] };
}

export function fullName(repository: GitHubRepository): string {
  return `${repository.owner}/${repository.name}`;
}
