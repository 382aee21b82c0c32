/**
 * The environment an agent (and git) runs with: the worker's own, less its OUTPOST_* settings. The
 * worker token in particular stays with the worker; the git credential never enters the agent's
 * environment at all (git gets it separately).
 */
export function agentEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !name.startsWith('OUTPOST_')) {
      result[name] = value;
    }
  }
  return result;
}
