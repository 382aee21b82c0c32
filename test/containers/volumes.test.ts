import * as fs from 'fs';
import * as path from 'path';
import { parseDockerfile } from './dockerfile-rules';
import { AGENT_NAMES } from '../../runtime/contracts/agent-names';
import { AGENT_GID, AGENT_UID } from '../../src/agents/agent-user';
import { taskConditions } from '../support/conformance/task-conditions';

const BASE_DOCKERFILE = path.join(__dirname, '..', '..', 'containers', 'base', 'Dockerfile');

/**
 * Fargate mounts a task volume without a host path empty, root-owned and 0755, unless the image declares a
 * VOLUME at its container path, which copies the image's directory (owner and mode) in (docs/testing.md).
 * The agent runs as 1000:1000 under a read-only root, so each writable path needs its VOLUME, owned by the agent
 * (the worker, root, takes /workspace back for itself at the start of a run: docs/security.md).
 */
describe.each(AGENT_NAMES)('%s task definition and image', (agent) => {
  const conditions = taskConditions(agent);
  const mountPaths = conditions.mounts.map((mount) => mount.containerPath).sort();

  test('the task mounts its writable paths, and the image declares exactly those as VOLUMEs', () => {
    expect(mountPaths).toEqual(['/home/agent', '/tmp', '/workspace']);
    expect([...conditions.volumes].sort()).toEqual(mountPaths);
  });

  test('each VOLUME is owned by the agent\'s user in the image, /tmp sticky and world-writable', () => {
    const agentUser = conditions.users.find((user) => user.uid === AGENT_UID);
    expect(agentUser).toMatchObject({ name: 'agent', uid: AGENT_UID, gid: AGENT_GID });
    for (const containerPath of mountPaths) {
      expect({ containerPath, ...conditions.imagePaths[containerPath] }).toMatchObject({ containerPath, uid: AGENT_UID, gid: AGENT_GID });
    }
    expect(conditions.imagePaths['/tmp'].mode).toBe(0o1777);
    expect(conditions.environment).toMatchObject({ HOME: agentUser?.home, TMPDIR: '/tmp' });
  });
});

test('the base image declares its VOLUMEs after the step that creates and chowns those paths', () => {
  const instructions = parseDockerfile(fs.readFileSync(BASE_DOCKERFILE, 'utf8'));
  const volume = instructions.findIndex((i) => i.keyword === 'VOLUME');
  const chown = instructions.findIndex((i) => i.keyword === 'RUN' && /chown agent:agent /.test(i.args));
  expect(chown).toBeGreaterThanOrEqual(0);
  expect(volume).toBeGreaterThan(chown);
});
