/**
 * The host (`host[:port]`, as git's credential helper is asked for it) of a repository that gets a credential:
 * an https URL on one of `hosts`. Anything else (another host, `git@host:org/repo.git` over SSH) gets none,
 * so a token is never handed to a host it was not meant for.
 */
export function credentialHost(url: string, hosts: readonly string[]): string | undefined {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed?.protocol !== 'https:') {
    return undefined;
  }
  return hosts.some((host) => host.toLowerCase() === parsed.host) ? parsed.host : undefined;
}
