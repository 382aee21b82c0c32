/**
 * The two identities inside an agent's task (docs/security.md, "Two identities in one task"). The worker runs
 * as root with only the capabilities it needs to hand the agent its own uid; the agent CLI and everything it
 * starts run as the images' `agent` user. One source for the task definition, the worker and the tests; the
 * base image (containers/base/Dockerfile) creates the user with these ids.
 */
export const AGENT_UID = 1000;
export const AGENT_GID = 1000;

/**
 * What the worker keeps of the container's default capabilities, and why each:
 * - SETUID, SETGID: become the agent's uid and gid (and clear the supplementary groups) when it starts the CLI;
 * - SETPCAP: empty the agent's capability bounding set, so that nothing it runs can ever regain one;
 * - KILL: signal the agent's processes (another uid) when it times out, is cancelled, or leaves processes behind;
 * - CHOWN: hand the checked-out work tree to the agent and take the workspace root back for itself;
 * - DAC_OVERRIDE: read and commit whatever the agent left, whatever modes it set, and replace its `.git/config`.
 */
export const WORKER_CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'KILL', 'SETGID', 'SETPCAP', 'SETUID'] as const;
