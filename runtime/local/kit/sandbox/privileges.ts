/**
 * `setpriv` arguments for the container's process as ECS starts it with `User` and `LinuxParameters.Capabilities`:
 * the uid and gid, no supplementary groups, nothing inheritable or ambient, and `capabilities` (what the task
 * definition leaves of the default set) as the bounding set. Root keeps them as its permitted and effective
 * sets too (exec gives root whatever its bounding set allows); another user's permitted and effective sets
 * go with the change of uid. No no_new_privs: Fargate sets none (it has no `no-new-privileges` option).
 */
export function containerUser(uid: number, gid: number, capabilities: readonly string[]): string[] {
  const bounding = ['-all', ...capabilities.map((capability) => `+${capability.toLowerCase()}`)].join(',');
  return [
    'setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups',
    '--inh-caps=-all', '--ambient-caps=-all', `--bounding-set=${bounding}`, '--',
  ];
}
