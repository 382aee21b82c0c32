/**
 * `setpriv` arguments for the container's user as ECS starts it with `User` and `Capabilities.Drop: ALL`:
 * the uid and gid, no supplementary groups, every capability set empty (bounding, inheritable, ambient;
 * permitted and effective go with the change of uid), and no_new_privs, so that no set-uid program or file
 * capability gives any back.
 */
export function containerUser(uid: number, gid: number): string[] {
  return [
    'setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups',
    '--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all', '--no-new-privs', '--',
  ];
}
